// The version binrelayd announces follows its primary (docs/serving.md, "The announced
// version"): a MariaDB replica that connects while the relay log is still empty sees a MariaDB
// source and replicates by GTID, and the version survives a restart in serve-only mode.

#include <catch2/catch.hpp>

#include <fstream>

#include "integration/admin_client.h"
#include "integration/relay_harness.h"
#include "integration/serve_support.h"

using namespace binrelay::test;
using namespace std::chrono_literals;

namespace {

constexpr const char* admin_password = "Adm1n-version";

std::string admin_password_file(const temp_dir& dir) {
  auto path = dir.path() / "admin-password";
  std::ofstream(path) << admin_password << "\n";
  return path.string();
}

std::vector<std::string> with(std::vector<std::string> args, std::vector<std::string> more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

std::string first_line(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  return line;
}

}  // namespace

TEST_CASE("serve: a MariaDB replica of a binrelayd with an empty relay log replicates by GTID",
          "[serve]") {
  mariadb_server primary;  // nothing written yet: binrelayd's store stays empty
  temp_dir scratch;
  std::uint16_t port = free_port();
  relay_harness relay(primary, with(serving_args(port, scratch.path()),
                                    {"--admin-password-file=" + admin_password_file(scratch)}));
  relay.start();
  REQUIRE(relay.process().wait_for_log("connected to", 30s));
  CHECK(relay_files(relay.data_dir()).size() <= 1);
  admin_client admin(port, "admin", admin_password, [&] { return relay.log(); });
  std::string primary_version = primary.scalar("SELECT @@version");
  CHECK(admin.sql("SELECT @@version") == "@@version\n" + primary_version + "\n");

  mariadb_server replica({11, true, {}});
  follow_relay(replica, port);
  write_rows(primary, 0, 30);
  bool at = wait_replica_at(replica, primary.scalar("SELECT @@gtid_binlog_pos"));
  INFO(replica_report(replica) << "\n" << relay.log());
  REQUIRE(at);
  CHECK(slave_status(replica, "Using_Gtid") == "Slave_Pos");
  CHECK(table_checksums(replica, "t") == table_checksums(primary, "t"));
  CHECK(first_line(relay.data_dir() / "source-version") == primary_version);
  REQUIRE(relay.terminate() == 0);

  // Serve-only: no primary to ask, the remembered version is announced.
  child_process serve_only(
      {binrelayd_path().string(), "--data-dir=" + relay.data_dir().string(),
       "--listen=127.0.0.1:" + std::to_string(port), std::string("--repl-user=") + repl_user,
       "--repl-password-file=" + (scratch.path() / "repl-password").string(),
       "--admin-password-file=" + admin_password_file(scratch)},
      scratch.path() / "serve-only.log");
  REQUIRE(serve_only.wait_for_log("SQL port listening", 30s));
  CHECK(admin.sql("SELECT VERSION()") == "VERSION()\n" + primary_version + "\n");
  CHECK(serve_only.terminate() == 0);
}
