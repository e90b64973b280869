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
                                          const std::string& test) {
  auto args = sysbench_args(s.primary.port(), test, 8, seconds, 4, 2000);
  args.push_back("run");
  return std::make_unique<child_process>(args, s.scratch.path() / "sysbench.log");
}

}  // namespace binrelay::test
