// What monitoring tools ask binrelayd's admin port, with the real clients: SELECT @@hostname,
// @@log_bin, the @@gtid_* variables and constant arithmetic, SHOW GLOBAL STATUS counters,
// FLUSH LOGS and PURGE BINARY LOGS BEFORE NOW(), mariadb-admin status / processlist /
// flush-logs / shutdown, /metrics counters that move with a write load, and
// prometheus-mysqld-exporter's default collectors.

#include <catch2/catch.hpp>

#include <boost/asio/this_coro.hpp>

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <thread>

#include "integration/applier_support.h"
#include "integration/metrics_scrape.h"
#include "integration/protocol_support.h"
#include "integration/serve_support.h"

using namespace binrelay::test;
using namespace std::chrono_literals;

namespace {

struct monitored_relay {
  temp_dir secrets;
  std::uint16_t port = free_port();
  std::uint16_t metrics_port = free_port();
  relay_harness relay;
  admin_client admin{port, "admin", admin_password, [this] { return relay.log(); }};

  explicit monitored_relay(const mariadb_server& primary)
      : relay(primary, flags(secrets, port, metrics_port)) {
    relay.start();
    REQUIRE(admin.wait_listening());
    REQUIRE(relay.wait_caught_up());
  }
  static std::vector<std::string> flags(const temp_dir& secrets, std::uint16_t port,
                                        std::uint16_t metrics_port) {
    auto f = admin_flags(secrets, port);
    f.push_back("--metrics-listen=127.0.0.1:" + std::to_string(metrics_port));
    std::ofstream(secrets.path() / "repl-pw") << repl_password << "\n";
    f.push_back(std::string("--repl-user=") + repl_user);
    f.push_back("--repl-password-file=" + (secrets.path() / "repl-pw").string());
    return f;
  }
  // The single value a one-row, one-column SELECT printed (after the header).
  std::string value(const std::string& sql) const {
    std::string out = admin.sql(sql);
    auto first = out.find('\n');
    return out.substr(first + 1, out.find('\n', first + 1) - first - 1);
  }
  std::string mariadb_admin(const std::string& command) const {
    return run_command("mariadb-admin --no-defaults --connect-timeout=5 -h127.0.0.1 -P" +
                       std::to_string(port) + " -uadmin -p" + admin_password + " " + command);
  }
  std::size_t binary_logs() const {
    std::string out = admin.sql("SHOW BINARY LOGS");
    return std::size_t(std::count(out.begin(), out.end(), '\n')) - 1;
  }
  // SHOW GLOBAL STATUS's value of `name` ("" when absent).
  std::string status(const std::string& name) const {
    std::istringstream in(admin.sql("SHOW GLOBAL STATUS LIKE '" + name + "'"));
    for (std::string line; std::getline(in, line);) {
      if (line.rfind(name + "\t", 0) == 0) return line.substr(name.size() + 1);
    }
    return "";
  }
};

// The Id of the first SHOW PROCESSLIST row whose Command is `command` ("" when none).
std::string process_id(const std::string& processlist, const std::string& command) {
  std::istringstream in(processlist);
  for (std::string line; std::getline(in, line);) {
    if (line.find("\t" + command + "\t") != std::string::npos)
      return line.substr(0, line.find('\t'));
  }
  return "";
}

std::string host_name() {
  char name[256] = {};
  ::gethostname(name, sizeof name - 1);
  return name;
}

}  // namespace

TEST_CASE(
    "admin port: @@hostname, @@log_bin as 1, the gtid variables, SELECT 1+1, SHOW GLOBAL "
    "STATUS counters, FLUSH LOGS, PURGE BEFORE NOW() and mariadb-admin",
    "[admin][status]") {
  mariadb_server primary;
  write_rows(primary, 0, 10);
  monitored_relay m(primary);
  std::string pos = primary.scalar("SELECT @@gtid_binlog_pos");

  CHECK(m.value("SELECT @@hostname") == host_name());
  CHECK(m.value("SELECT @@global.log_bin") == "1");
  CHECK(m.value("SELECT @@port") == std::to_string(m.port));
  CHECK(m.value("SELECT @@max_connections") == "256");
  CHECK(m.value("SELECT 1+1") == "2");
  CHECK(m.value("SELECT 7 DIV 2 * 3 - 1") == "8");
  CHECK(m.value("SELECT 1/4") == "0.2500");
  for (const char* v : {"@@gtid_binlog_state", "@@gtid_current_pos", "@@gtid_slave_pos",
                        "@@gtid_executed", "@@gtid_binlog_pos"}) {
    INFO(v);
    CHECK(m.value(std::string("SELECT ") + v) == pos);
  }
  CHECK(std::stol(m.status("Uptime")) >= 0);
  CHECK(std::stol(m.status("Threads_connected")) >= 1);
  CHECK(std::stol(m.status("Binrelay_transactions_received")) >= 10);
  CHECK(std::stol(m.status("Bytes_received")) > 0);
  CHECK(m.status("Slave_running") == "ON");

  std::size_t files = m.binary_logs();
  m.admin.sql("FLUSH LOGS");
  CHECK(m.binary_logs() == files + 1);
  m.mariadb_admin("flush-logs");
  CHECK(m.binary_logs() == files + 2);
  write_rows(primary, 10, 12);
  REQUIRE(m.relay.wait_caught_up());
  std::this_thread::sleep_for(1100ms);  // the newest file's last write is before NOW()
  m.admin.sql("PURGE BINARY LOGS BEFORE NOW()");
  CHECK(m.binary_logs() == 1);
  CHECK_THROWS_WITH(m.admin.sql("PURGE BINARY LOGS BEFORE 'yesterday'"), Catch::Contains("1210"));

  CHECK_THAT(m.mariadb_admin("status"), Catch::StartsWith("Uptime: "));
  std::string processes = m.mariadb_admin("processlist");
  CHECK_THAT(processes, Catch::Contains("Slave_IO"));
  CHECK_THAT(processes, Catch::Contains("system user"));
  CHECK_THAT(m.admin.sql("SHOW FULL PROCESSLIST"), Catch::Contains("SHOW FULL PROCESSLIST"));

  m.mariadb_admin("shutdown");
  CHECK(m.relay.process().wait() == 0);
  CHECK_THAT(m.relay.log(), Catch::Contains("SHUTDOWN by the admin port"));
}

TEST_CASE("metrics: /metrics counters and positions move with a write load, other paths are 404",
          "[status][metrics]") {
  mariadb_server primary;
  monitored_relay m(primary);
  // Idle: the primary's next heartbeat (every 500 ms) says binrelayd is caught up; until then
  // the lag is the age of the last event received (about a second).
  std::string before;
  for (int i = 0; i < 100; ++i) {
    before = http_get(m.metrics_port);
    if (sample(before, "mysql_slave_status_seconds_behind_master{") == 0) break;
    std::this_thread::sleep_for(100ms);
  }
  CHECK(sample(before, "mysql_slave_status_slave_io_running{") == 1);
  CHECK(sample(before, "mysql_slave_status_seconds_behind_master{") == 0);
  write_rows(primary, 0, 40);
  REQUIRE(m.relay.wait_caught_up());
  std::string after = http_get(m.metrics_port);
  auto grew = [&](const std::string& series, double by) {
    INFO(series << "\n" << after);
    CHECK(sample(after, series).value_or(0) >= sample(before, series).value_or(0) + by);
  };
  grew("binrelay_upstream_transactions_received_total", 40);
  grew("binrelay_upstream_events_received_total", 40 * 3);
  grew("binrelay_upstream_bytes_received_total", 40 * 50);
  grew("binrelay_relay_log_fsync_seconds_count", 1);
  grew("binrelay_relay_log_space_bytes", 40 * 50);
  grew("mysql_slave_status_read_master_log_pos{", 40 * 50);
  CHECK(sample(after, "binrelay_relay_log_fsync_seconds_bucket{le=\"+Inf\"}") ==
        sample(after, "binrelay_relay_log_fsync_seconds_count"));
  CHECK(sample(after, "binrelay_upstream_connects_total") == 1);
  CHECK(http_status(m.metrics_port, "/other") == 404);
}

TEST_CASE(
    "metrics: prometheus-mysqld-exporter's default collectors and binlog_size all succeed "
    "against the admin port",
    "[status][metrics]") {
  mariadb_server primary;
  write_rows(primary, 0, 5);
  monitored_relay m(primary);
  std::uint16_t exporter_port = free_port();
  temp_dir dir;
  child_process exporter({"prometheus-mysqld-exporter", "--collect.binlog_size",
                          "--web.listen-address=127.0.0.1:" + std::to_string(exporter_port)},
                         dir.path() / "exporter.log",
                         {"DATA_SOURCE_NAME=admin:" + std::string(admin_password) +
                          "@(127.0.0.1:" + std::to_string(m.port) + ")/"});
  std::string text;
  for (int i = 0; i < 100 && text.empty(); ++i) {
    try {
      text = http_get(exporter_port);
    } catch (const std::exception&) {
      std::this_thread::sleep_for(100ms);
    }
  }
  INFO(text << "\nexporter log:\n" << exporter.log() << "\nbinrelayd log:\n" << m.relay.log());
  REQUIRE(!text.empty());
  CHECK(sample(text, "mysql_up") == 1);
  CHECK(sample(text, "mysql_global_status_uptime").has_value());
  CHECK(sample(text, "mysql_global_status_threads_connected").value_or(0) >= 1);
  CHECK(sample(text, "mysql_global_variables_read_only") == 1);
  CHECK(sample(text, "mysql_slave_status_slave_io_running{") == 1);
  // Caught up, so small: 0 once a heartbeat came, else the age of the last event (the rows were
  // written a second or two ago).
  auto behind = sample(text, "mysql_slave_status_seconds_behind_master{");
  REQUIRE(behind.has_value());
  CHECK(*behind >= 0);
  CHECK(*behind <= 10);
  CHECK(sample(text, "mysql_binlog_files").value_or(0) >= 1);
  CHECK(sample(text, "mysql_exporter_last_scrape_error") == 0);
  // Exporter 0.14 counts a failing collector in mysql_exporter_scrape_errors_total{collector}
  // and times every one that ran.
  std::istringstream lines(text);
  int collectors = 0;
  for (std::string line; std::getline(lines, line);) {
    INFO(line);
    CHECK(line.rfind("mysql_exporter_scrape_errors_total{", 0) != 0);
    if (line.rfind("mysql_exporter_collector_duration_seconds{collector=\"collect.", 0) == 0)
      ++collectors;
  }
  CHECK(collectors == 7);  // the six defaults and binlog_size
}

TEST_CASE(
    "admin port: SHOW PROCESSLIST lists a replica's dump thread, KILL ends it and the "
    "replica reconnects, /metrics shows its position and lag",
    "[admin][status][metrics]") {
  mariadb_server primary;
  write_rows(primary, 0, 5);
  monitored_relay m(primary);
  mariadb_server replica(mariadb_options{3, true, {}});
  follow_relay(replica, m.port, ", MASTER_CONNECT_RETRY=1");
  REQUIRE(wait_replica_at(replica, primary.scalar("SELECT @@gtid_binlog_pos"), 60s));

  std::string id;
  for (int i = 0; i < 100 && id.empty(); ++i) {
    id = process_id(m.admin.sql("SHOW PROCESSLIST"), "Binlog Dump GTID");
    if (id.empty()) std::this_thread::sleep_for(100ms);
  }
  INFO(m.relay.log());
  REQUIRE_FALSE(id.empty());
  std::string metrics = http_get(m.metrics_port);
  CHECK(sample(metrics, "binrelay_replicas_connected") == 1);
  CHECK(sample(metrics, "binrelay_replica_lag_seconds{server_id=\"3\"") == 0);
  CHECK(sample(metrics, "binrelay_replica_position_bytes{server_id=\"3\"").value_or(0) > 0);
  CHECK(sample(metrics, "binrelay_serve_bytes_sent_total").value_or(0) > 0);

  m.admin.sql("KILL " + id);
  CHECK(m.relay.process().wait_for_log("KILL " + id, 10s));
  std::string again;
  for (int i = 0; i < 300 && (again.empty() || again == id); ++i) {
    std::this_thread::sleep_for(100ms);
    again = process_id(m.admin.sql("SHOW PROCESSLIST"), "Binlog Dump GTID");
  }
  CHECK_FALSE(again.empty());
  CHECK(again != id);
  write_rows(primary, 5, 8);
  CHECK(wait_replica_at(replica, primary.scalar("SELECT @@gtid_binlog_pos"), 60s));
  CHECK_THROWS_WITH(m.admin.sql("KILL 999999"), Catch::Contains("1094"));
}

TEST_CASE(
    "admin port: SHOW PROCESSLIST lists other admin sessions, KILL closes one, KILL of the IO "
    "thread's id stops it and START SLAVE resumes",
    "[admin][status]") {
  mariadb_server primary;
  write_rows(primary, 0, 5);
  monitored_relay m(primary);
  run_client([&]() -> boost::asio::awaitable<void> {
    binrelay::protocol::connection held(co_await boost::asio::this_coro::executor);
    binrelay::protocol::connection_options o;
    o.host = "127.0.0.1";
    o.port = m.port;
    o.user = "admin";
    o.password = admin_password;
    o.connect_timeout = 5000ms;
    o.read_timeout = 10000ms;
    auto connected = co_await held.connect_and_authenticate(o);
    REQUIRE(connected);
    auto own = co_await held.query("SHOW PROCESSLIST");
    REQUIRE(own);
    std::string held_id = *own->rows.back()[0];  // its own row comes last (the highest id)

    // Another session sees it idle, and KILL closes it.
    std::string list = m.admin.sql("SHOW PROCESSLIST");
    CHECK_THAT(list, Catch::Contains(held_id + "\tadmin\t127.0.0.1\tNULL\tSleep\t"));
    CHECK_THAT(list, Catch::Contains("1\tsystem user\t\tNULL\tSlave_IO\t"));
    m.admin.sql("KILL " + held_id);
    CHECK(m.relay.process().wait_for_log("KILL " + held_id + ": the admin session's", 10s));
    auto after = co_await held.query("SELECT 1");
    CHECK_FALSE(after);
    CHECK_THAT(m.admin.sql("SHOW PROCESSLIST"),
               !Catch::Contains(held_id + "\tadmin\t127.0.0.1\tNULL\tSleep\t"));
  });

  m.admin.sql("KILL 1");
  CHECK(m.admin.slave_status()["Slave_IO_Running"] == "No");
  CHECK_THROWS_WITH(m.admin.sql("KILL 1"), Catch::Contains("1094"));
  write_rows(primary, 5, 8);
  m.admin.sql("START SLAVE");
  CHECK(m.relay.wait_caught_up());
  CHECK(m.admin.slave_status()["Slave_IO_Running"] == "Yes");
}
