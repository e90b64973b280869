// The applier's integration set-up (applier_support.h).

#include "integration/applier_support.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <thread>

namespace binrelay::test {
using namespace std::chrono_literals;

apply_setup::apply_setup(int workers, std::vector<std::string> extra) {
  std::ofstream(scratch.path() / "apply-pw") << mariadb_server::password << "\n";
  std::ofstream(scratch.path() / "binrelayd.ini") << "";
  extra.push_back("--config=" + (scratch.path() / "binrelayd.ini").string());
  extra.push_back("--apply-to=127.0.0.1:" + std::to_string(downstream.port()));
  extra.push_back("--apply-user=binrelay");
  extra.push_back("--apply-password-file=" + (scratch.path() / "apply-pw").string());
  extra.push_back("--apply-workers=" + std::to_string(workers));
  extra.push_back("--relay-log-max-size=2000000");
  relay = std::make_unique<relay_harness>(primary, extra);
}

bool apply_setup::wait_applied(std::chrono::seconds timeout) {
  std::string target = primary.scalar("SELECT @@gtid_binlog_pos");
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (downstream.scalar("SELECT @@gtid_binlog_pos") == target) return true;
    std::this_thread::sleep_for(200ms);
  }
  return false;
}

std::vector<std::string> admin_flags(const temp_dir& secrets, std::uint16_t port) {
  std::ofstream(secrets.path() / "admin-pw") << admin_password << "\n";
  return {"--listen=127.0.0.1:" + std::to_string(port), "--admin-user=admin",
          "--admin-password-file=" + (secrets.path() / "admin-pw").string()};
}

void check_converged(apply_setup& s, const std::string& rows_sql) {
  bool applied = s.wait_applied(std::chrono::seconds(60));
  INFO(s.relay->log());
  REQUIRE(applied);
  CHECK(s.relay->log().find("applier stopped") == std::string::npos);
  CHECK(s.downstream.query(rows_sql) == s.primary.query(rows_sql));
  CHECK(binlog_gtids(s.downstream) == binlog_gtids(s.primary));
}

void check_sysbench_converged(apply_setup& s, int tables) {
  bool applied = s.wait_applied(std::chrono::seconds(180));
  INFO(s.relay->log());
  REQUIRE(applied);
  CHECK(checksums(s.downstream, tables) == checksums(s.primary, tables));
  CHECK(binlog_gtids(s.downstream) == binlog_gtids(s.primary));
  CHECK(s.relay->log().find("applier stopped") == std::string::npos);
}

namespace {

std::vector<std::string> with_flags(std::vector<std::string> flags,
                                    const std::vector<std::string>& extra) {
  flags.insert(flags.end(), extra.begin(), extra.end());
  return flags;
}

}  // namespace

admin_apply::admin_apply(int workers, const std::vector<std::string>& extra)
    : s(workers, with_flags(admin_flags(secrets, port), extra)),
      admin(port, "admin", admin_password, [this] { return s.relay->log(); }) {}

void admin_apply::start_with_table(const std::string& rows) {
  s.primary.query(
      "CREATE DATABASE t; CREATE TABLE t.a (id INT PRIMARY KEY, v INT); INSERT INTO t.a " + rows);
  s.relay->start();
  REQUIRE(admin.wait_listening());
  REQUIRE(s.wait_applied(std::chrono::seconds(60)));
}

std::map<std::string, std::string> admin_apply::wait_sql_running(const std::string& running) const {
  std::map<std::string, std::string> status;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    status = admin.slave_status();
    if (status["Slave_SQL_Running"] == running) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return status;
}

progress_mark recorded_progress(const mariadb_server& downstream) {
  std::string last =
      "FROM binrelay.apply_progress ORDER BY file_number DESC, end_offset DESC LIMIT 1";
  return {downstream.scalar("SELECT file_number " + last),
          downstream.scalar("SELECT relay_file " + last),
          downstream.scalar("SELECT end_offset " + last)};
}

void rewind_progress(const mariadb_server& downstream, const progress_mark& m) {
  downstream.query(
      "SET SESSION sql_log_bin = 0; UPDATE binrelay.apply_progress SET file_number = " +
      m.file_number + ", relay_file = '" + m.relay_file + "', end_offset = " + m.end_offset +
      " WHERE file_number > " + m.file_number + " OR (file_number = " + m.file_number +
      " AND end_offset > " + m.end_offset + ")");
}

std::string checksums(const mariadb_server& s, int tables) {
  std::string list;
  for (int i = 1; i <= tables; ++i)
    list += (i > 1 ? ",sbtest.sbtest" : "sbtest.sbtest") + std::to_string(i);
  return s.query("CHECKSUM TABLE " + list);
}

std::vector<std::string> binlog_gtids(const mariadb_server& s) {
  std::vector<std::string> out;
  std::regex re("GTID (0-1-[0-9]+)");
  for (const auto& f : s.binlog_files()) {
    std::string text = run_command("mariadb-binlog --skip-gtid-strict-mode " + f.string());
    for (std::sregex_iterator it(text.begin(), text.end(), re), end; it != end; ++it) {
      out.push_back((*it)[1]);
    }
  }
  return out;
}

std::unique_ptr<child_process> start_load(const apply_setup& s, int seconds,
                                          const std::string& test, int tables, int rows) {
  auto args = sysbench_args(s.primary.port(), test, 8, seconds, tables, rows);
  args.push_back("run");
  return std::make_unique<child_process>(args, s.scratch.path() / "sysbench.log");
}

}  // namespace binrelay::test
