// binrelayd's relay log health against real MariaDB 10.11 servers: damage in an older relay
// log found at startup and never served, a full disk (ENOSPC) survived with the true cause in
// the status, and the source's refusals retried with a growing back-off, logged once.

#include <catch2/catch.hpp>

#include <sys/mount.h>

#include <fstream>
#include <regex>
#include <thread>

#include "integration/admin_client.h"
#include "integration/relay_harness.h"
#include "integration/serve_support.h"

using namespace binrelay::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

constexpr const char* admin_password = "Adm1n-s3cret";

std::vector<std::string> admin_args(const temp_dir& dir) {
  auto path = dir.path() / "admin-password";
  std::ofstream(path) << admin_password << "\n";
  return {"--admin-user=admin", "--admin-password-file=" + path.string()};
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

void flip_bytes(const fs::path& p, std::uint64_t at, std::size_t n) {
  std::fstream f(p, std::ios::in | std::ios::out | std::ios::binary);
  std::vector<char> bytes(n);
  f.seekg(std::streamoff(at));
  f.read(bytes.data(), std::streamsize(n));
  for (auto& b : bytes) b = char(b ^ 0x5a);
  f.seekp(std::streamoff(at));
  f.write(bytes.data(), std::streamsize(n));
}

// A tmpfs of `size` mounted on `dir` (we run as root) for the guard's lifetime.
class tmpfs_mount {
 public:
  tmpfs_mount(const fs::path& dir, const std::string& size) : dir_(dir) {
    fs::create_directories(dir);
    std::string opts = "size=" + size;
    mounted_ = ::mount("tmpfs", dir.c_str(), "tmpfs", 0, opts.c_str()) == 0;
  }
  ~tmpfs_mount() {
    if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  bool resize(const std::string& size) const {
    std::string opts = "size=" + size;
    return ::mount("tmpfs", dir_.c_str(), "tmpfs", MS_REMOUNT, opts.c_str()) == 0;
  }

 private:
  fs::path dir_;
  bool mounted_ = false;
};

void write_big_rows(const mariadb_server& primary, int from, int to) {
  std::string sql =
      "CREATE DATABASE IF NOT EXISTS t; CREATE TABLE IF NOT EXISTS t.big "
      "(id INT PRIMARY KEY, v LONGTEXT);";
  for (int i = from; i < to; ++i) {
    sql += "INSERT INTO t.big VALUES (" + std::to_string(i) + ", REPEAT('y', 60000));";
  }
  primary.query(sql);
}

}  // namespace

TEST_CASE("serve: bytes flipped in an older relay log are reported at startup and not served") {
  mariadb_server primary;
  temp_dir secrets;
  std::vector<std::string> args = admin_args(secrets);
  args.push_back("--relay-log-max-size=4096");
  serving_relay served(primary, args, 300);
  REQUIRE(served.relay.terminate() == 0);
  auto files = relay_files(served.relay.data_dir());
  REQUIRE(files.size() >= 6);
  const fs::path victim = files[files.size() / 3];
  const std::uintmax_t victim_size = fs::file_size(victim);
  flip_bytes(victim, victim_size / 2, 16);

  served.relay.start();
  const std::string name = victim.filename().string();
  REQUIRE(served.relay.process().wait_for_log("relay log " + name + ": damaged at offset", 30s));
  INFO(served.relay.log());
  CHECK(served.relay.log().find("fails its CRC32 check") != std::string::npos);
  CHECK(fs::file_size(victim) == victim_size);  // reported, not repaired

  admin_client admin(served.port, "admin", admin_password, [&] { return served.relay.log(); });
  REQUIRE(admin.wait_listening());
  std::string status = admin.sql("SHOW GLOBAL STATUS LIKE 'Binrelay_relay_log_damage%'");
  CHECK_THAT(status, Catch::Contains("Binrelay_relay_log_damaged_ranges\t1"));

  mariadb_server replica;
  follow_relay(replica, served.port);
  std::string io_error = wait_io_error(replica, "is damaged at offset", 60s);
  INFO(replica_report(replica));
  CHECK_THAT(io_error, Catch::Contains("1236"));
  CHECK_THAT(io_error, Catch::Contains("relay log " + name + " is damaged at offset"));

  // Ingest goes on (the harness cannot read the damaged store itself: ask binrelayd).
  write_rows(primary, 300, 320);
  const std::string target = primary.scalar("SELECT @@gtid_binlog_pos");
  std::string stored;
  for (int i = 0; i < 150 && stored.find(target) == std::string::npos; ++i) {
    std::this_thread::sleep_for(200ms);
    stored = admin.sql("SELECT @@gtid_binlog_pos");
  }
  CHECK_THAT(stored, Catch::Contains(target));
  CHECK(served.relay.terminate() == 0);
}

TEST_CASE("ingest: a full relay log disk shows the disk error, backs off and resumes after it") {
  mariadb_server primary;
  relay_harness relay(primary, {"--relay-log-max-size=262144"});
  tmpfs_mount disk(relay.data_dir(), "1m");
  REQUIRE(disk.mounted());
  relay.start();
  write_rows(primary, 0, 10);
  REQUIRE(relay.wait_caught_up());
  write_big_rows(primary, 0, 40);  // about 2.4 MB of binlog: more than the disk holds
  REQUIRE(relay.process().wait_for_log("No space left on device", 60s));
  std::this_thread::sleep_for(4s);  // a few retries against the full disk
  std::string log = relay.log();
  INFO(log);
  CHECK(log.find("Rotate inside a transaction") == std::string::npos);
  CHECK(log.find("corrupt") == std::string::npos);
  CHECK(count_of(log, "No space left on device") == 1);  // logged once, not per retry
  REQUIRE(disk.resize("64m"));
  CHECK(relay.wait_caught_up(90s));
  CHECK(relay.compare_with_primary().empty());
  CHECK(relay.terminate() == 0);
}

TEST_CASE("ingest: a primary that purged what binrelayd needs is retried with a growing delay") {
  mariadb_server primary;
  relay_harness relay(primary);
  relay.start();
  write_rows(primary, 0, 20);
  REQUIRE(relay.wait_caught_up());
  REQUIRE(relay.terminate() == 0);
  write_rows(primary, 20, 40);
  REQUIRE(purge_all_but_current(primary));
  relay.start();
  REQUIRE(relay.process().wait_for_log("Got fatal error 1236 from source", 20s));
  std::this_thread::sleep_for(7s);  // attempts at 0, 1 s and 5 s; the next at 21 s
  std::string log = relay.log();
  INFO(log);
  CHECK(count_of(log, "Got fatal error 1236 from source") == 1);  // once per change of error
  // Two connects in the first run and this one's first, then at 1 s and 5 s (not every second).
  CHECK(count_of(log, "connected to 127.0.0.1") <= 5);
  CHECK(relay.process().running());
  CHECK(relay.terminate() == 0);
}
