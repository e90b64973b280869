// binrelayd serving MySQL 9.7's own replica and tools (docs/serving.md): a MySQL primary,
// binrelayd following it with default flags (TLS from generated certificates,
// caching_sha2_password because the announced version is MySQL's), and real MySQL 9.7
// replicas, the mysql client, mysqladmin and mysqlbinlog against binrelayd.

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <regex>

#include "integration/logged_transactions.h"
#include "integration/mysql_serve_support.h"
#include "integration/serve_support.h"

using namespace binrelay::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

void write_mysql_rows(const mysql_server& primary, int from, int to) {
  std::string sql =
      "CREATE DATABASE IF NOT EXISTS t; CREATE TABLE IF NOT EXISTS t.a "
      "(id INT PRIMARY KEY, v VARCHAR(64));";
  for (int i = from; i < to; ++i) {
    sql += "INSERT INTO t.a VALUES (" + std::to_string(i) + ", REPEAT('x', " +
           std::to_string(i % 64) + "));";
  }
  primary.query(sql);
}

unsigned file_mode(const fs::path& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 ? (st.st_mode & 0777) : 0;
}

std::string fatal_1236(const std::string& message) {
  return "Got fatal error 1236 from source when reading data from binary log: '" +
         message.substr(0, 511) + "'";
}

}  // namespace

TEST_CASE(
    "mysql: a default MySQL 9.7 replica of a default binrelayd converges over generated TLS "
    "with caching_sha2_password",
    "[serve][mysql]") {
  mysql_server primary;
  write_mysql_rows(primary, 0, 50);
  mysql_relay relay(primary);
  REQUIRE(relay.wait_caught_up());
  for (const char* key : {"ca-key.pem", "server-key.pem", "private_key.pem"}) {
    INFO(key);
    CHECK(file_mode(relay.data_dir() / key) == 0600);
  }
  for (const char* cert : {"ca.pem", "server-cert.pem", "public_key.pem"}) {
    CHECK(fs::exists(relay.data_dir() / cert));
  }
  CHECK_THAT(relay.log(), Catch::Contains("serving port uses TLS certificate") &&
                              Catch::Contains("(CA ") && Catch::Contains("generated now"));

  mysql_server replica({2, true, true, {}});
  follow_mysql_relay(replica, relay.port());
  std::string executed = primary.scalar("SELECT @@gtid_executed");
  bool converged = wait_replica_has(replica, executed);
  INFO(replica_status(replica, "Last_IO_Error") << "\n" << relay.log());
  REQUIRE(converged);
  CHECK(replica.scalar("CHECKSUM TABLE t.a") == primary.scalar("CHECKSUM TABLE t.a"));
  CHECK(replica_status(replica, "Replica_IO_Running") == "Yes");

  // A restart reuses the files; the replica reconnects and goes on.
  std::string cert = file_text(relay.data_dir() / "server-cert.pem");
  REQUIRE(relay.terminate() == 0);
  relay.start();
  REQUIRE(relay.process().wait_for_log("generated at an earlier start", 30s));
  CHECK(file_text(relay.data_dir() / "server-cert.pem") == cert);
  write_mysql_rows(primary, 50, 80);
  executed = primary.scalar("SELECT @@gtid_executed");
  converged = wait_replica_has(replica, executed);
  INFO(replica_status(replica, "Last_IO_Error") << "\n" << relay.log());
  CHECK(converged);
  CHECK(relay.terminate() == 0);
}

TEST_CASE("mysql: the mysql 9.7 client and mysqladmin work on binrelayd's admin port",
          "[serve][mysql]") {
  mysql_server primary;
  write_mysql_rows(primary, 0, 10);
  mysql_relay relay(primary);
  REQUIRE(relay.wait_caught_up());
  auto port = relay.port();

  // Plain TCP: the first login of a user proves its password RSA-encrypted...
  auto first = mysql_admin(port, "--ssl-mode=DISABLED --get-server-public-key -N -B", "SELECT 1");
  INFO(first.text << "\n" << relay.log());
  REQUIRE(first.status == 0);
  CHECK_THAT(first.text, Catch::EndsWith("1\n"));
  // ... later ones take the fast path, without the key.
  auto cached = mysql_admin(port, "--ssl-mode=DISABLED -N -B", "SELECT 2");
  INFO(cached.text);
  CHECK(cached.status == 0);
  // A wrong password is refused over TLS (without it, and without the key, the client itself
  // gives up before sending a password: ERROR 2061, as with a MySQL server).
  auto wrong = mysql_client(port, "-uadmin -pwrong", "SELECT 1");
  CHECK_THAT(wrong.text, Catch::Contains("ERROR 1045 (28000): Access denied for user 'admin'"));
  auto no_key = mysql_client(port, "-uadmin -pwrong --ssl-mode=DISABLED", "SELECT 1");
  CHECK_THAT(no_key.text, Catch::Contains("ERROR 2061 (HY000)"));

  // TLS (the client's default) with the statements an operator types.
  auto tls = mysql_admin(port, "--ssl-mode=REQUIRED -N -B", "SHOW STATUS LIKE 'Ssl_version'");
  INFO(tls.text);
  CHECK(tls.status == 0);
  CHECK_THAT(tls.text, Catch::Contains("Ssl_version\tTLSv1."));
  auto logs = mysql_admin(port, "-N -B", "SHOW BINARY LOGS");
  INFO(logs.text);
  CHECK(logs.status == 0);
  CHECK_THAT(logs.text, Catch::Contains("relay-bin.000001\t"));
  for (const char* status : {"SHOW MASTER STATUS", "SHOW BINARY LOG STATUS"}) {
    auto s = mysql_admin(port, "-N -B", status);
    INFO(status << ": " << s.text);
    CHECK(s.status == 0);
    CHECK_THAT(s.text, Catch::Contains("relay-bin.0000"));
  }
  auto replica_status_text = mysql_admin(port, "-E", "SHOW REPLICA STATUS");
  INFO(replica_status_text.text);
  CHECK(replica_status_text.status == 0);
  CHECK_THAT(replica_status_text.text, Catch::Contains("Running: Yes"));

  auto admin = std::string(" -h127.0.0.1 -P") + std::to_string(port) + " -uadmin -p" +
               mysql_admin_password + " ";
  auto ping = run_mysql_tool("mysqladmin --no-defaults" + admin + "ping");
  INFO(ping.text);
  CHECK(ping.status == 0);
  CHECK_THAT(ping.text, Catch::Contains("mysqld is alive"));
  auto status = run_mysql_tool("mysqladmin --no-defaults" + admin + "status");
  INFO(status.text);
  CHECK(status.status == 0);
  CHECK_THAT(status.text, Catch::Matches("(.*\n)?Uptime: [0-9]+  Threads: [0-9]+  Questions: "
                                         "[0-9]+  Slow queries: 0.*Queries per second avg: "
                                         "[0-9.]+\n"));
  CHECK(relay.terminate() == 0);
}

TEST_CASE("mysql: 1236 refusals reach a MySQL 9.7 replica's Last_IO_Error in MySQL 9.7's words",
          "[serve][mysql]") {
  mysql_server primary;
  write_mysql_rows(primary, 0, 10);
  mysql_relay relay(primary);
  REQUIRE(relay.wait_caught_up());
  std::string executed = primary.scalar("SELECT @@gtid_executed");
  std::string uuid = primary.scalar("SELECT @@server_uuid");
  auto purge =
      mysql_admin(relay.port(), "", "FLUSH BINARY LOGS; PURGE BINARY LOGS TO 'relay-bin.000002'");
  INFO(purge.text << relay.log());
  REQUIRE(purge.status == 0);

  mysql_server replica({2, true, true, {}});
  std::string own = replica.scalar("SELECT @@gtid_executed");
  follow_mysql_relay(replica, relay.port());
  CHECK(wait_mysql_io_error(replica) ==
        fatal_1236("Cannot replicate because the source purged required binary logs. Replicate "
                   "the missing transactions from elsewhere, or provision a new replica from "
                   "backup. Consider increasing the source's binary log expiration period. The "
                   "GTID set sent by the replica is '" +
                   own + "', and the missing transactions are '" + executed + "'"));
  CHECK(replica_status(replica, "Last_IO_Errno") == "13114");

  // The replica holds GTIDs of the primary that binrelayd has not.
  replica.query(
      "STOP REPLICA; RESET REPLICA ALL; RESET BINARY LOGS AND GTIDS; SET GLOBAL "
      "gtid_purged='" +
      uuid + ":1-1000'");
  follow_mysql_relay(replica, relay.port());
  CHECK(wait_mysql_io_error(replica) ==
        fatal_1236(
            "Replica has more GTIDs than the source has, using the source's SERVER_UUID. This "
            "may indicate that the the last binary log file was truncated or lost, e.g., after "
            "a power failure when sync_binlog != 1. The source may have rolled back "
            "transactions that were already replicated to the replica. Replicate any "
            "transactions that source has rolled back from replica to source, and/or commit "
            "empty transactions on source to account for transactions that have been committed "
            "on source but are not included in GTID_EXECUTED."));
  CHECK(relay.terminate() == 0);
}

TEST_CASE(
    "mysql: mysqlbinlog 9.7 reads binrelayd's relay files, and --read-from-remote-server --raw "
    "copies them byte for byte",
    "[serve][mysql]") {
  mysql_server primary;
  write_mysql_rows(primary, 0, 200);
  mysql_relay relay(primary, {"--relay-log-max-size=20000"});
  REQUIRE(relay.wait_caught_up());
  auto files = relay_files(relay.data_dir());
  REQUIRE(files.size() > 2);
  std::vector<std::string> gtids;
  for (const auto& t : read_transactions(files)) gtids.push_back(t.gtid);

  // The files, copied into the chroot, decode without an error and hold every transaction.
  fs::path inside = fs::path("/tmp") / ("binrelay-mysqlbinlog-" + std::to_string(relay.port()));
  fs::path host = mysql_chroot() / inside.relative_path();
  fs::create_directories(host);
  std::string names;
  for (const auto& f : files) {
    fs::copy_file(f, host / f.filename(), fs::copy_options::overwrite_existing);
    names += " " + (inside / f.filename()).string();
  }
  auto decoded =
      run_mysql_tool("mysqlbinlog --no-defaults" + names + " > " + (inside / "out.sql").string());
  INFO(decoded.text);
  CHECK(decoded.status == 0);
  CHECK(decoded.text.empty());
  std::string text = file_text(host / "out.sql");
  std::vector<std::string> printed;  // mysqlbinlog's SET @@SESSION.GTID_NEXT= 'uuid:n'
  std::regex gtid_next("GTID_NEXT= '([0-9a-f-]{36}:[0-9]+)'");
  for (std::sregex_iterator it(text.begin(), text.end(), gtid_next), end; it != end; ++it) {
    printed.push_back((*it)[1]);
  }
  CHECK(printed == gtids);

  // --raw from binrelayd: the relay log's bytes, in-use flag aside; --stop-never for the live
  // file too.
  auto raw = run_mysql_tool(
      "mysqlbinlog --no-defaults --read-from-remote-server --raw --stop-never -h127.0.0.1 -P" +
      std::to_string(relay.port()) + " -u" + mysql_repl_user + " -p" + mysql_repl_password +
      " --get-server-public-key --result-file=" + (inside / "raw-").string() +
      " relay-bin.000001 & pid=$!; sleep 3; kill $pid");
  INFO(raw.text << "\n" << relay.log());
  for (const auto& f : files) {
    INFO(f);
    auto copy = host / ("raw-" + f.filename().string());
    REQUIRE(fs::exists(copy));
    CHECK(without_in_use_flag(file_text(copy)) == without_in_use_flag(file_text(f)));
  }
  fs::remove_all(host);
  CHECK(relay.terminate() == 0);
}
