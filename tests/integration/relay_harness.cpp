#include "integration/relay_harness.h"

#include <thread>

namespace binrelay::test {
namespace fs = std::filesystem;

relay_harness::relay_harness(const mariadb_server& primary, std::vector<std::string> extra_args)
    : primary_(primary),
      extra_args_(std::move(extra_args)),
      data_dir_(dir_.path() / "relay"),
      log_file_(dir_.path() / "binrelayd.log") {}

void relay_harness::start(const std::string& password) {
  std::vector<std::string> args = {
      binrelayd_path().string(),          "--upstream=127.0.0.1:" + std::to_string(primary_.port()),
      "--upstream-user=binrelay",         "--server-id=4242",
      "--data-dir=" + data_dir_.string(), "--heartbeat-period-ms=500"};
  for (const auto& a : extra_args_) args.push_back(a);
  process_ = std::make_unique<child_process>(
      args, log_file_, std::vector<std::string>{"BINRELAY_UPSTREAM_PASSWORD=" + password});
}

bool relay_harness::wait_caught_up(std::chrono::seconds timeout) {
  std::string target = primary_.scalar("SELECT @@gtid_binlog_pos");
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      auto trx = read_transactions(relay_files(data_dir_));
      if (!trx.empty() && trx.back().gtid == target) return true;
    } catch (const std::exception&) {
      // a file may be mid-write; try again
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return false;
}

std::string relay_harness::compare_with_primary() const {
  return first_difference(read_transactions(primary_.binlog_files()),
                          read_transactions(relay_files(data_dir_)));
}

void prepare_sysbench(const mariadb_server& primary, int tables, int table_size) {
  primary.query("CREATE DATABASE IF NOT EXISTS sbtest");
  auto args = sysbench_args(primary.port(), "oltp_write_only", 4, 1, tables, table_size);
  std::string cmd;
  for (const auto& a : args) cmd += a + " ";
  run_command(cmd + "prepare > /dev/null");
}

bool purge_all_but_current(const mariadb_server& primary) {
  primary.query("FLUSH BINARY LOGS");
  std::string current = primary.binlog_files().back().filename().string();
  for (int i = 0; i < 100 && primary.binlog_files().size() > 1; ++i) {
    primary.query("PURGE BINARY LOGS TO '" + current + "'");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return primary.binlog_files().size() == 1;
}

void write_rows(const mariadb_server& primary, int from, int to) {
  std::string sql =
      "CREATE DATABASE IF NOT EXISTS t; CREATE TABLE IF NOT EXISTS t.a "
      "(id INT PRIMARY KEY, v VARCHAR(64));";
  for (int i = from; i < to; ++i) {
    sql += "INSERT INTO t.a VALUES (" + std::to_string(i) + ", REPEAT('x', " +
           std::to_string(i % 64) + "));";
  }
  primary.query(sql);
}

std::unique_ptr<child_process> start_load(const mariadb_server& primary, const temp_dir& dir,
                                          int seconds) {
  auto args = sysbench_args(primary.port(), "oltp_write_only", 8, seconds, 4, 2000);
  args.push_back("run");
  return std::make_unique<child_process>(args, dir.path() / "sysbench.log");
}

}  // namespace binrelay::test
