// SHOW SLAVE STATUS tells the truth against real MariaDB servers: Seconds_Behind_Master and
// Slave_SQL_Running_State of a lagging, a caught-up and a stopped applier (the same figures
// at /metrics), and an IO error that ends when the IO thread connects again.

#include <catch2/catch.hpp>

#include <thread>

#include "integration/applier_support.h"
#include "integration/metrics_scrape.h"

using namespace binrelay::test;
using namespace std::chrono_literals;

namespace {

constexpr const char* caught_up_state = "Replica has read all relay log; waiting for more updates";

// SHOW SLAVE STATUS once `done` holds (the last reading after `timeout`).
template <class Pred>
std::map<std::string, std::string> wait_status(const admin_client& admin, Pred done,
                                               std::chrono::seconds timeout = 30s) {
  std::map<std::string, std::string> s;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    s = admin.slave_status();
    if (done(s)) break;
    std::this_thread::sleep_for(200ms);
  }
  return s;
}

long seconds_behind(const std::map<std::string, std::string>& s) {
  auto it = s.find("Seconds_Behind_Master");
  if (it == s.end() || it->second == "NULL") return -1;
  return std::stol(it->second);
}

// A session on `server` holding a write lock on t.a until killed.
std::unique_ptr<child_process> hold_table_lock(const mariadb_server& server, const temp_dir& dir) {
  auto locker = std::make_unique<child_process>(
      std::vector<std::string>{"mariadb", "--no-defaults", "-uroot",
                               "--socket=" + server.socket_path().string(), "-e",
                               "LOCK TABLES t.a WRITE; SELECT SLEEP(300)"},
      dir.path() / "locker.log");
  for (int i = 0; i < 100; ++i) {
    if (server.scalar("SELECT COUNT(*) FROM information_schema.processlist WHERE info LIKE "
                      "'SELECT SLEEP(300)%'") == "1") {
      break;
    }
    std::this_thread::sleep_for(100ms);
  }
  return locker;
}

}  // namespace

TEST_CASE(
    "status: a lagging applier shows its lag, a working state and progress lines, a caught-up "
    "one 0 and read all relay log, a stopped one NULL, in SHOW SLAVE STATUS and at /metrics",
    "[status]") {
  std::uint16_t metrics_port = free_port();
  admin_apply a(2, {"--metrics-listen=127.0.0.1:" + std::to_string(metrics_port),
                    "--progress-interval=1"});
  a.start_with_table("VALUES (1, 1)");
  auto s =
      wait_status(a.admin, [](auto& s) { return s["Slave_SQL_Running_State"] == caught_up_state; });
  CHECK(s["Slave_SQL_Running_State"] == caught_up_state);
  CHECK(s["Seconds_Behind_Master"] == "0");

  temp_dir dir;
  auto locker = hold_table_lock(a.s.downstream, dir);
  a.s.primary.query("INSERT INTO t.a VALUES (2, 2); INSERT INTO t.a VALUES (3, 3)");
  s = wait_status(a.admin, [](auto& s) { return seconds_behind(s) >= 3; });
  INFO(a.s.relay->log());
  CHECK(seconds_behind(s) >= 3);
  CHECK(s["Slave_SQL_Running"] == "Yes");
  CHECK(s["Slave_SQL_Running_State"] != caught_up_state);
  CHECK_FALSE(s["Slave_SQL_Running_State"].empty());
  std::string m = http_get(metrics_port);
  CHECK(sample(m, "mysql_slave_status_seconds_behind_master{").value_or(-1) >= 3);
  CHECK(sample(m, "mysql_slave_status_slave_sql_running{") == 1);
  CHECK(sample(m, "binrelay_applier_busy_workers").value_or(0) >= 1);

  // 1.5 MB more behind the blocked transaction: the progress line says where the applier is.
  a.s.primary.query(
      "CREATE TABLE t.big (id INT PRIMARY KEY, v TEXT); "
      "INSERT INTO t.big SELECT seq, REPEAT('x', 1000) FROM test.seq_1_to_1500");
  CHECK(a.s.relay->process().wait_for_log("applier catching up: at ", 20s));
  CHECK_THAT(a.s.relay->log(), Catch::Contains("MB behind, reading 0.0 MB/s, not gaining"));

  locker->kill9();  // the lock goes with the session
  REQUIRE(a.s.wait_applied(60s));
  CHECK(a.s.relay->process().wait_for_log("applier caught up with the relay log at ", 20s));
  s = wait_status(a.admin, [](auto& s) { return s["Seconds_Behind_Master"] == "0"; });
  CHECK(s["Seconds_Behind_Master"] == "0");
  CHECK(s["Slave_SQL_Running_State"] == caught_up_state);
  CHECK(sample(http_get(metrics_port), "binrelay_applier_transactions_total").value_or(0) >= 2);

  a.admin.sql("STOP SLAVE SQL_THREAD");
  s = a.wait_sql_running("No");
  CHECK(s["Slave_SQL_Running"] == "No");
  CHECK(s["Seconds_Behind_Master"] == "NULL");
  m = http_get(metrics_port);
  CHECK(sample(m, "mysql_slave_status_slave_sql_running{") == 0);
  CHECK_FALSE(sample(m, "mysql_slave_status_seconds_behind_master{"));
}

TEST_CASE(
    "status: a wrong source password is Last_IO_Errno 1045 until the IO thread connects "
    "with the right one, then the error is gone",
    "[status]") {
  temp_dir secrets;
  std::uint16_t port = free_port();
  mariadb_server primary;
  relay_harness relay(primary, admin_flags(secrets, port));
  relay.start();
  admin_client admin(port, "admin", admin_password, [&] { return relay.log(); });
  REQUIRE(admin.wait_listening());
  REQUIRE(relay.wait_caught_up());

  admin.sql(
      "STOP SLAVE IO_THREAD; CHANGE MASTER TO MASTER_PASSWORD='wrong'; START SLAVE "
      "IO_THREAD");
  auto s = wait_status(admin, [](auto& s) { return s["Last_IO_Errno"] == "1045"; });
  INFO(relay.log());
  REQUIRE(s["Last_IO_Errno"] == "1045");
  CHECK(s["Slave_IO_Running"] != "Yes");
  CHECK(s["Seconds_Behind_Master"] == "NULL");

  admin.sql(std::string("STOP SLAVE IO_THREAD; CHANGE MASTER TO MASTER_PASSWORD='") +
            mariadb_server::password + "'; START SLAVE IO_THREAD");
  s = wait_status(admin, [](auto& s) { return s["Slave_IO_Running"] == "Yes"; });
  CHECK(s["Slave_IO_Running"] == "Yes");
  CHECK(s["Last_IO_Errno"] == "0");
  CHECK(s["Last_IO_Error"].empty());
}

TEST_CASE(
    "status: an apply user without SUPER either applies or stops the SQL thread with the "
    "server's error, never Yes with an error retried forever",
    "[status]") {
  admin_apply a(2);
  a.start_with_table("VALUES (1, 1)");
  a.s.downstream.query("REVOKE SUPER ON *.* FROM 'binrelay'@'%'");
  // Sessions keep the privileges they logged in with: end the applier's.
  a.admin.sql("STOP SLAVE SQL_THREAD");
  a.wait_sql_running("No");
  a.admin.sql("START SLAVE SQL_THREAD");
  a.s.primary.query("INSERT INTO t.a VALUES (2, 2)");
  auto deadline = std::chrono::steady_clock::now() + 60s;
  std::map<std::string, std::string> s;
  bool applied = false;
  while (std::chrono::steady_clock::now() < deadline) {
    s = a.admin.slave_status();
    applied = a.s.downstream.scalar("SELECT COUNT(*) FROM t.a") == "2";
    if (s["Slave_SQL_Running"] == "No" || applied) break;
    std::this_thread::sleep_for(200ms);
  }
  INFO(a.s.relay->log());
  if (applied) {
    CHECK(s["Slave_SQL_Running"] == "Yes");
    CHECK(s["Last_SQL_Errno"] == "0");
  } else {
    REQUIRE(s["Slave_SQL_Running"] == "No");
    CHECK(s["Last_SQL_Errno"] != "0");
    CHECK(s["Last_SQL_Errno"] != "2013");
    CHECK_FALSE(s["Last_SQL_Error"].empty());
  }
}
