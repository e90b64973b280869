// The applier into MySQL (applier_mysql_support.h).

#include "integration/applier_mysql_support.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <thread>

#include "integration/logged_transactions.h"

namespace binrelay::test {
using namespace std::chrono_literals;

namespace {

mysql_options downstream_options(std::vector<std::string> args) {
  mysql_options o;
  o.server_id = 2;
  o.extra_args = std::move(args);
  return o;
}

// The GTIDs of `uuid` in `files`, in order.
std::vector<std::string> gtids_of(const std::vector<std::filesystem::path>& files,
                                  const std::string& uuid) {
  std::vector<std::string> out;
  for (const auto& t : read_transactions(files)) {
    if (t.gtid.rfind(uuid + ":", 0) == 0) out.push_back(t.gtid);
  }
  return out;
}

}  // namespace

mysql_apply_setup::mysql_apply_setup(int workers, std::vector<std::string> extra,
                                     mysql_options primary_options, std::string apply_user,
                                     std::vector<std::string> downstream_args)
    : primary(std::move(primary_options)),
      downstream(downstream_options(std::move(downstream_args))) {
  primary.query("RESET BINARY LOGS AND GTIDS");
  std::ofstream(scratch.path() / "apply-pw") << mysql_server::password << "\n";
  args_ = {binrelayd_path().string(),
           "--upstream=127.0.0.1:" + std::to_string(primary.port()),
           "--upstream-user=binrelay",
           "--server-id=4242",
           "--data-dir=" + (scratch.path() / "relay").string(),
           "--heartbeat-period-ms=500",
           "--relay-log-max-size=2000000",
           "--apply-to=127.0.0.1:" + std::to_string(downstream.port()),
           "--apply-user=" + apply_user,
           "--apply-password-file=" + (scratch.path() / "apply-pw").string(),
           "--apply-workers=" + std::to_string(workers)};
  args_.insert(args_.end(), extra.begin(), extra.end());
}

void mysql_apply_setup::start() {
  daemon_ = std::make_unique<child_process>(
      args_, scratch.path() / "binrelayd.log",
      std::vector<std::string>{std::string("BINRELAY_UPSTREAM_PASSWORD=") +
                               mysql_server::password});
}

bool mysql_apply_setup::wait_applied(std::chrono::seconds timeout) {
  std::string target = primary.scalar("SELECT @@global.gtid_executed");
  std::string check = "SELECT GTID_SUBSET('" + target + "', @@global.gtid_executed)";
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (downstream.scalar(check) == "1") return true;
    std::this_thread::sleep_for(200ms);
  }
  return false;
}

std::vector<std::string> mysql_apply_setup::primary_gtids() const {
  return gtids_of(primary.binlog_files(), primary.scalar("SELECT @@server_uuid"));
}

std::vector<std::string> mysql_apply_setup::downstream_gtids() const {
  return gtids_of(downstream.binlog_files(), primary.scalar("SELECT @@server_uuid"));
}

std::string mysql_checksums(const mysql_server& s, const std::string& tables) {
  return s.query("CHECKSUM TABLE " + tables);
}

void check_mysql_converged(mysql_apply_setup& s, const std::string& tables) {
  bool applied = s.wait_applied(180s);
  INFO(s.log());
  REQUIRE(applied);
  CHECK(s.log().find("applier stopped") == std::string::npos);
  CHECK(mysql_checksums(s.downstream, tables) == mysql_checksums(s.primary, tables));
  auto expected = s.primary_gtids();
  CHECK(!expected.empty());
  CHECK(s.downstream_gtids() == expected);
}

}  // namespace binrelay::test
