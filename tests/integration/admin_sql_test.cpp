// binrelayd's admin port (--listen, --admin-user) with the real `mariadb` client, binrelayd
// following real MariaDB 10.11 primaries: SHOW SLAVE STATUS agrees with the primary, wrong
// passwords are refused, STOP/START SLAVE resumes without a gap, CHANGE MASTER TO persists
// across a restart, FLUSH/PURGE BINARY LOGS show in SHOW BINARY LOGS, SHOW SLAVE HOSTS lists
// a MariaDB replica of binrelayd with its position and lag.

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <thread>

#include "integration/admin_client.h"
#include "integration/relay_harness.h"
#include "integration/serve_support.h"
#include "support/commands.h"

using namespace binrelay::test;
using namespace std::chrono_literals;

namespace {

constexpr const char* admin_password = "Adm1n-s3cret";

struct admin_relay {
  temp_dir secrets;
  std::uint16_t port = free_port();
  relay_harness relay;
  admin_client client{port, "admin", admin_password, [this] { return relay.log(); }};

  explicit admin_relay(const mariadb_server& primary)
      : relay(primary, {"--listen=127.0.0.1:" + std::to_string(port), "--admin-user=admin",
                        "--admin-password-file=" + password_file(secrets)}) {}

  static std::string password_file(const temp_dir& dir) {
    auto path = dir.path() / "admin-password";
    std::ofstream(path) << admin_password << "\n";
    return path.string();
  }

  std::string sql(const std::string& statement,
                  const std::string& password = admin_password) const {
    return client.sql(statement, password);
  }
  std::map<std::string, std::string> slave_status() const { return client.slave_status(); }

  std::vector<std::string> binary_logs() const {
    std::vector<std::string> names;
    std::istringstream in(sql("SHOW BINARY LOGS"));
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) names.push_back(line.substr(0, line.find('\t')));
    return names;
  }

  // Starts binrelayd and waits for its admin port and for the primary's last transaction.
  void start_caught_up() {
    relay.start();
    wait_listening();
    REQUIRE(relay.wait_caught_up());
  }

  void wait_listening() const {
    if (!client.wait_listening())
      FAIL("admin port " << port << " never answered; log:\n" << relay.log());
  }
};

// Polls SHOW SLAVE STATUS until `done(status)` or the deadline (a loaded machine may take many
// seconds); returns the last status seen.
std::map<std::string, std::string> wait_slave_status(
    const admin_relay& admin, const std::function<bool(std::map<std::string, std::string>&)>& done,
    std::chrono::seconds timeout = 60s) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  auto s = admin.slave_status();
  while (!done(s) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(100ms);
    s = admin.slave_status();
  }
  return s;
}

// Waits until SHOW SLAVE STATUS's Read_Master_Log_Pos reaches the primary's binlog end.
bool wait_read_position(const admin_relay& admin, const mariadb_server& primary) {
  auto master = primary.rows("SHOW MASTER STATUS");
  auto at_end = [&](std::map<std::string, std::string>& s) {
    return s["Master_Log_File"] == master[0][0] && s["Read_Master_Log_Pos"] == master[0][1];
  };
  auto last = wait_slave_status(admin, at_end);
  return at_end(last);
}

std::vector<std::string> gtids_of(const std::vector<logged_transaction>& trx) {
  std::vector<std::string> out;
  for (const auto& t : trx) out.push_back(t.gtid);
  return out;
}

}  // namespace

TEST_CASE(
    "admin port: SHOW SLAVE STATUS printed vertically by the mariadb client agrees with the "
    "MariaDB primary",
    "[admin]") {
  mariadb_server primary;
  write_rows(primary, 0, 50);
  admin_relay admin(primary);
  admin.start_caught_up();
  REQUIRE(wait_read_position(admin, primary));
  // Idle: the primary's next heartbeat (every 500 ms) says we are caught up.
  wait_slave_status(admin, [](auto& s) { return s["Seconds_Behind_Master"] == "0"; });

  // The column set is compared with a real MariaDB replica's in status_columns_test.cpp.
  auto s = admin.slave_status();
  auto master = primary.rows("SHOW MASTER STATUS");
  CHECK(s["Slave_IO_Running"] == "Yes");
  CHECK(s["Slave_SQL_Running"] == "No");
  CHECK(s["Slave_IO_State"] == "Waiting for source to send event");
  CHECK(s["Master_Host"] == "127.0.0.1");
  CHECK(s["Master_Port"] == std::to_string(primary.port()));
  CHECK(s["Master_User"] == "binrelay");
  CHECK(s["Master_Server_Id"] == primary.scalar("SELECT @@server_id"));
  CHECK(s["Master_Log_File"] == master[0][0]);
  CHECK(s["Read_Master_Log_Pos"] == master[0][1]);
  CHECK(s["Gtid_IO_Pos"] == primary.scalar("SELECT @@gtid_binlog_pos"));
  CHECK(admin.sql("SELECT @@gtid_slave_pos").find(s["Gtid_IO_Pos"]) != std::string::npos);
  CHECK(s["Seconds_Behind_Master"] == "0");
  CHECK(s["Last_IO_Errno"] == "0");
  CHECK(std::stoull(s["Relay_Log_Space"]) > 0);

  auto vertical = admin.sql("SELECT @@server_id, @@gtid_binlog_pos, @@version\\G");
  CHECK(vertical.find("@@server_id: 4242") != std::string::npos);
  CHECK(vertical.find("@@gtid_binlog_pos: " + primary.scalar("SELECT @@gtid_binlog_pos")) !=
        std::string::npos);

  auto events = admin.sql("SHOW BINLOG EVENTS LIMIT 3");
  CHECK(events.find("Format_desc") != std::string::npos);
  CHECK(events.find("Gtid_list") != std::string::npos);

  try {
    admin.sql("SHOW SLAVE STATUS", "wrong-password");
    FAIL("a wrong password was accepted");
  } catch (const std::exception& e) {
    CHECK(std::string(e.what()).find("Access denied for user 'admin'") != std::string::npos);
  }
  CHECK(admin.sql("SHOW PROCESSLIST").find("Slave_IO") != std::string::npos);
  CHECK(admin.relay.terminate() == 0);
}

TEST_CASE("admin port: STOP SLAVE then START SLAVE resumes with no gap", "[admin]") {
  mariadb_server primary;
  write_rows(primary, 0, 20);
  admin_relay admin(primary);
  admin.start_caught_up();
  admin.sql("STOP SLAVE");
  auto stopped = admin.slave_status();
  CHECK(stopped["Slave_IO_Running"] == "No");
  CHECK(stopped["Seconds_Behind_Master"] == "NULL");
  std::string retrieved = stopped["Gtid_IO_Pos"];
  write_rows(primary, 20, 60);
  std::this_thread::sleep_for(1s);
  CHECK(admin.slave_status()["Gtid_IO_Pos"] == retrieved);  // really stopped
  CHECK_THROWS_WITH(admin.sql("SET GTID_NEXT='0-1-21'; BEGIN; COMMIT"),
                    Catch::Contains("ERROR 1200") && Catch::Contains("No applier is configured"));
  admin.sql("START SLAVE");
  REQUIRE(admin.relay.wait_caught_up());
  CHECK(admin.relay.compare_with_primary() == "");
  CHECK(admin.slave_status()["Slave_IO_Running"] == "Yes");
  admin.sql("STOP SLAVE IO_THREAD; START SLAVE IO_THREAD");
  write_rows(primary, 60, 70);
  REQUIRE(admin.relay.wait_caught_up());
  CHECK(admin.relay.compare_with_primary() == "");
  CHECK(admin.relay.terminate() == 0);
}

TEST_CASE("admin port: CHANGE MASTER TO a second primary is used and survives a restart",
          "[admin]") {
  mariadb_server primary;
  mariadb_server second({2, true, {"--log-slave-updates"}});
  second.query(
      "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + std::to_string(primary.port()) +
      ", MASTER_USER='binrelay', MASTER_PASSWORD='binrelay-pw', MASTER_USE_GTID=slave_pos; "
      "START SLAVE");
  write_rows(primary, 0, 20);
  admin_relay admin(primary);
  admin.start_caught_up();

  try {
    admin.sql("CHANGE MASTER TO MASTER_PORT=" + std::to_string(second.port()));
    FAIL("CHANGE MASTER TO was accepted with the IO thread running");
  } catch (const std::exception& e) {
    CHECK(std::string(e.what()).find("ERROR 3021") != std::string::npos);
  }
  admin.sql("STOP SLAVE; CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" +
            std::to_string(second.port()) +
            ", MASTER_USER='binrelay', MASTER_PASSWORD='binrelay-pw', MASTER_USE_GTID=slave_pos; "
            "START SLAVE");
  write_rows(primary, 20, 40);
  REQUIRE(admin.relay.wait_caught_up());
  auto s = admin.slave_status();
  CHECK(s["Master_Port"] == std::to_string(second.port()));
  CHECK(s["Master_Server_Id"] == "2");

  struct stat st {};
  REQUIRE(::stat((admin.relay.data_dir() / "source-password").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(admin.sql("SHOW SLAVE STATUS\\G").find("binrelay-pw") == std::string::npos);

  REQUIRE(admin.relay.terminate() == 0);
  admin.relay.start("wrong-flag-password");  // the persisted password must win
  admin.wait_listening();
  write_rows(primary, 40, 60);
  REQUIRE(admin.relay.wait_caught_up());
  s = admin.slave_status();
  CHECK(s["Master_Port"] == std::to_string(second.port()));
  CHECK(s["Master_Server_Id"] == "2");
  CHECK(s["Slave_IO_Running"] == "Yes");
  // The same GTIDs as the primary, no gap, no duplicate; the transactions after the switch are
  // the second server's (its log-slave-updates copies), byte-exact.
  auto relayed = read_transactions(relay_files(admin.relay.data_dir()));
  CHECK(gtids_of(relayed) == gtids_of(read_transactions(primary.binlog_files())));
  auto from_second = read_transactions(second.binlog_files());
  REQUIRE(!from_second.empty());
  CHECK(relayed.back() == from_second.back());
  CHECK(admin.relay.terminate() == 0);
}

TEST_CASE("admin port: FLUSH BINARY LOGS and PURGE BINARY LOGS show in SHOW BINARY LOGS",
          "[admin]") {
  mariadb_server primary;
  write_rows(primary, 0, 10);
  admin_relay admin(primary);
  admin.start_caught_up();
  auto before = admin.binary_logs();
  REQUIRE(before.size() == 1);
  admin.sql("FLUSH BINARY LOGS");
  write_rows(primary, 10, 20);
  REQUIRE(admin.relay.wait_caught_up());
  admin.sql("FLUSH BINARY LOGS");
  write_rows(primary, 20, 30);
  REQUIRE(admin.relay.wait_caught_up());
  auto flushed = admin.binary_logs();
  REQUIRE(flushed.size() == 3);
  CHECK(flushed[0] == before[0]);
  CHECK(admin.relay.compare_with_primary() == "");
  admin.sql("PURGE BINARY LOGS TO '" + flushed[1] + "'");
  CHECK(admin.binary_logs() == std::vector<std::string>{flushed[1], flushed[2]});
  CHECK_FALSE(std::filesystem::exists(admin.relay.data_dir() / flushed[0]));
  admin.sql("PURGE BINARY LOGS BEFORE '2999-01-01 00:00:00'");
  CHECK(admin.binary_logs() == std::vector<std::string>{flushed[2]});
  auto master = admin.sql("SHOW MASTER STATUS");
  CHECK(master.find(flushed[2]) != std::string::npos);
  CHECK(admin.relay.terminate() == 0);
}

TEST_CASE("admin port: binrelayd started without --upstream replicates after CHANGE MASTER TO",
          "[admin]") {
  mariadb_server primary;
  write_rows(primary, 0, 10);
  temp_dir dir;
  std::uint16_t port = free_port();
  child_process daemon({binrelayd_path().string(), "--server-id=4242",
                        "--data-dir=" + (dir.path() / "relay").string(),
                        "--listen=127.0.0.1:" + std::to_string(port)},
                       dir.path() / "binrelayd.log",
                       {std::string("BINRELAY_ADMIN_PASSWORD=") + admin_password});
  auto sql = [&](const std::string& statement) {
    return run_command("mariadb --no-defaults --connect-timeout=5 -h127.0.0.1 -P" +
                       std::to_string(port) + " -uadmin -p'" + admin_password + "' -e \"" +
                       statement + "\"");
  };
  REQUIRE(daemon.wait_for_log("SQL port listening", 60s));
  CHECK(sql("SHOW REPLICA STATUS\\G").find("Replica_IO_Running: No") != std::string::npos);
  try {
    sql("START SLAVE");
    FAIL("START SLAVE without a source was accepted");
  } catch (const std::exception& e) {
    CHECK(std::string(e.what()).find("ERROR 1200") != std::string::npos);
  }
  sql("CHANGE REPLICATION SOURCE TO SOURCE_HOST='127.0.0.1', SOURCE_PORT=" +
      std::to_string(primary.port()) +
      ", SOURCE_USER='binrelay', SOURCE_PASSWORD='binrelay-pw'; START REPLICA");
  std::string target = primary.scalar("SELECT @@gtid_binlog_pos");
  std::string status;
  auto deadline = std::chrono::steady_clock::now() + 60s;
  // binrelayd now follows a MariaDB primary: MariaDB's columns (Slave_ words even here).
  while (status.find("Gtid_IO_Pos: " + target + "\n") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(100ms);
    status = sql("SHOW REPLICA STATUS\\G");
  }
  INFO(status << daemon.log());
  CHECK(status.find("Slave_IO_Running: Yes") != std::string::npos);
  CHECK(status.find("Gtid_IO_Pos: " + target + "\n") != std::string::npos);
  CHECK(daemon.terminate() == 0);
}

TEST_CASE("admin port: SHOW SLAVE HOSTS shows a caught-up replica at the relay's end, lag 0",
          "[admin][serve]") {
  mariadb_server primary;
  temp_dir secrets;
  serving_relay s(
      primary,
      {"--admin-user=admin", "--admin-password-file=" + admin_relay::password_file(secrets)}, 5);
  admin_client admin{s.port, "admin", admin_password, [&] { return s.relay.log(); }};
  mariadb_options o;
  o.server_id = 41;
  mariadb_server replica(o);
  follow_relay(replica, s.port);
  REQUIRE(wait_replica_at(replica, primary.scalar("SELECT @@gtid_binlog_pos")));
  auto master = split_tab_rows(admin.sql("SHOW MASTER STATUS"));
  REQUIRE(master.size() == 2);
  std::vector<std::vector<std::string>> hosts;
  for (int i = 0; i < 100; ++i) {
    hosts = split_tab_rows(admin.sql("SHOW SLAVE HOSTS"));
    if (hosts.size() == 2 && hosts[1].size() == 8 && hosts[1][6] == master[1][1]) break;
    std::this_thread::sleep_for(100ms);
  }
  INFO(admin.sql("SHOW SLAVE HOSTS"));
  REQUIRE(hosts.size() == 2);
  CHECK(hosts[0] == std::vector<std::string>{"Server_id", "Host", "Port", "Master_id", "Slave_UUID",
                                             "Binlog_File", "Binlog_Pos", "Seconds_Behind"});
  REQUIRE(hosts[1].size() == 8);
  CHECK(hosts[1][0] == "41");
  CHECK(hosts[1][5] == master[1][0]);
  CHECK(hosts[1][6] == master[1][1]);
  CHECK(hosts[1][7] == "0");
  CHECK(s.relay.terminate() == 0);
}
