// An independent client of binrelayd's serving port: mariadb-binlog --read-from-remote-server
// --raw fetches binrelayd's relay log files, by file/position, by GTID, and with --stop-never
// while binrelayd is ingesting; what it writes must be the relay log's bytes.

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <thread>

#include "integration/relay_harness.h"
#include "integration/serve_support.h"

using namespace binrelay::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

std::uint32_t event_size_at(const std::string& file, std::size_t at) {
  std::uint32_t size = 0;
  for (int i = 3; i >= 0; --i) size = size << 8 | std::uint8_t(file[at + 9 + i]);
  return size;
}

// The first event boundary at or past the middle of the file.
std::size_t middle_event(const std::string& file) {
  std::size_t at = 4;
  while (at < file.size() / 2) at += event_size_at(file, at);
  return at;
}

std::string remote_args(std::uint16_t port) {
  return "mariadb-binlog --read-from-remote-server -h127.0.0.1 -P" + std::to_string(port) + " -u" +
         repl_user + " -p" + repl_password;
}

// Every relay log file equals the fetched copy in `out` (prefix "raw-"), in-use flag aside.
void check_fetched_copies(const fs::path& data_dir, const fs::path& out) {
  auto files = relay_files(data_dir);
  REQUIRE(files.size() > 1);
  for (const auto& f : files) {
    INFO(f);
    auto copy = out / ("raw-" + f.filename().string());
    REQUIRE(fs::exists(copy));
    CHECK(without_in_use_flag(file_text(copy)) == without_in_use_flag(file_text(f)));
  }
}

}  // namespace

TEST_CASE("serve: mariadb-binlog --raw fetches files byte-identical to the relay log", "[serve]") {
  mariadb_server primary;
  serving_relay s(primary, {"--relay-log-max-size=20000"}, 200);
  temp_dir out;
  run_command(remote_args(s.port) + " --raw --to-last-log --result-file=" +
              (out.path() / "raw-").string() + " relay-bin.000001");
  check_fetched_copies(s.relay.data_dir(), out.path());

  // From a position: the FDE, then the file from there.
  auto first = relay_files(s.relay.data_dir()).front();
  std::string original = file_text(first);
  std::size_t from = middle_event(original);
  run_command(remote_args(s.port) + " --raw --start-position=" + std::to_string(from) +
              " --result-file=" + (out.path() / "pos-").string() + " relay-bin.000001");
  std::string fetched = file_text(out.path() / ("pos-" + first.filename().string()));
  std::string expected_bytes =
      original.substr(0, 4 + event_size_at(original, 4)) + original.substr(from);
  CHECK(without_in_use_flag(fetched) == without_in_use_flag(expected_bytes));

  // From a GTID: exactly the transactions after it. (mariadb-binlog checks a GTID start only
  // when it decodes: with --raw it refuses it, against a MariaDB primary too.)
  auto all = read_transactions(relay_files(s.relay.data_dir()));
  REQUIRE(all.size() > 100);
  std::string text =
      run_command(remote_args(s.port) + " --to-last-log --start-position=" + all[100].gtid +
                  " relay-bin.000001 | grep -o 'GTID [0-9-]*'");
  std::string expected_gtids;
  for (std::size_t i = 101; i < all.size(); ++i) expected_gtids += "GTID " + all[i].gtid + "\n";
  CHECK(text == expected_gtids);
  CHECK(s.relay.terminate() == 0);
}

TEST_CASE("serve: mariadb-binlog --stop-never follows binrelayd while it ingests", "[serve]") {
  mariadb_server primary;
  serving_relay s(primary, {"--relay-log-max-size=20000"}, 10);
  temp_dir out;
  child_process follower(
      {"mariadb-binlog", "--read-from-remote-server", "-h127.0.0.1", "-P" + std::to_string(s.port),
       std::string("-u") + repl_user, std::string("-p") + repl_password, "--raw", "--stop-never",
       "--result-file=" + (out.path() / "raw-").string(), "relay-bin.000001"},
      out.path() / "mariadb-binlog.log");
  for (int i = 10; i < 210; i += 20) write_rows(primary, i, i + 20);
  REQUIRE(s.relay.wait_caught_up());
  auto files = relay_files(s.relay.data_dir());
  auto last_copy = out.path() / ("raw-" + files.back().filename().string());
  for (int i = 0; i < 100; ++i) {
    if (fs::exists(last_copy) && fs::file_size(last_copy) == fs::file_size(files.back())) break;
    std::this_thread::sleep_for(100ms);
  }
  CHECK(follower.running());
  follower.kill9();
  INFO(follower.log());
  check_fetched_copies(s.relay.data_dir(), out.path());
  CHECK(s.relay.terminate() == 0);
}
