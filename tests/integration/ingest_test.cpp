// binrelayd ingest against real MariaDB 10.11 primaries: exact copies under load, kill -9,
// reconnects, purged binlogs and connection errors.

#include <catch2/catch.hpp>

#include <random>
#include <thread>

#include "integration/relay_harness.h"

using namespace binrelay::test;
using namespace std::chrono_literals;

TEST_CASE("ingest: relay log holds exactly the primary's transactions under sysbench load") {
  mariadb_server primary;
  prepare_sysbench(primary, 4, 2000);
  relay_harness relay(primary, {"--relay-log-max-size=1000000"});
  relay.start();
  temp_dir scratch;
  auto load = start_load(primary, scratch, 8);
  REQUIRE(load->wait() == 0);
  REQUIRE(relay.wait_caught_up());
  CHECK(relay.compare_with_primary() == "");
  auto files = relay_files(relay.data_dir());
  CHECK(files.size() > 1);  // rotated by size
  for (const auto& f : files) {
    INFO(f);
    CHECK_NOTHROW(run_command("mariadb-binlog " + f.string() + " > /dev/null"));
  }
  CHECK(relay.terminate() == 0);
  CHECK(relay.log().find("bye") != std::string::npos);
  CHECK(relay.log().find("ERROR") == std::string::npos);
}

TEST_CASE("ingest: kill -9 twenty times during load leaves no gap and no duplicate") {
  mariadb_server primary;
  prepare_sysbench(primary, 4, 2000);
  relay_harness relay(primary, {"--relay-log-max-size=2000000"});
  relay.start();
  temp_dir scratch;
  auto load = start_load(primary, scratch, 25);
  std::mt19937 rng(20261123);
  std::uniform_int_distribution<int> pause_ms(100, 1000);
  for (int i = 0; i < 20; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms(rng)));
    relay.kill9();
    relay.start();
  }
  REQUIRE(load->wait() == 0);
  bool caught_up = relay.wait_caught_up(90s);
  INFO(relay.log());
  REQUIRE(caught_up);
  CHECK(relay.compare_with_primary() == "");
  CHECK(relay.log().find("ready:") != std::string::npos);
  CHECK(relay.terminate() == 0);
}

TEST_CASE("ingest: reconnects after a primary restart and after its dump thread is killed") {
  mariadb_server primary;
  relay_harness relay(primary);
  relay.start();
  write_rows(primary, 0, 50);
  REQUIRE(relay.wait_caught_up());
  primary.stop();
  primary.start();
  write_rows(primary, 50, 100);
  REQUIRE(relay.wait_caught_up());
  std::string dump_id = primary.scalar(
      "SELECT ID FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%'");
  REQUIRE(!dump_id.empty());
  primary.query("KILL " + dump_id);
  write_rows(primary, 100, 150);
  REQUIRE(relay.wait_caught_up());
  CHECK(relay.compare_with_primary() == "");
  CHECK(relay.log().find("reconnecting") != std::string::npos);
  CHECK(relay.terminate() == 0);
}

TEST_CASE("ingest: a primary that purged needed binlogs gives error 1236 and stored data stays") {
  mariadb_server primary;
  relay_harness relay(primary);
  relay.start();
  write_rows(primary, 0, 20);
  REQUIRE(relay.wait_caught_up());
  REQUIRE(relay.terminate() == 0);
  auto stored = read_transactions(relay_files(relay.data_dir()));
  write_rows(primary, 20, 40);
  REQUIRE(purge_all_but_current(primary));
  relay.start();
  CHECK(relay.process().wait_for_log("Got fatal error 1236 from source", 20s));
  CHECK(relay.process().running());  // keeps retrying with backoff
  CHECK(read_transactions(relay_files(relay.data_dir())) == stored);
  CHECK(relay.terminate() == 0);
}

TEST_CASE("ingest: a wrong password is reported and retried without exposing the password") {
  mariadb_server primary;
  relay_harness relay(primary);
  relay.start("not-the-password");
  CHECK(relay.process().wait_for_log("Access denied for user 'binrelay'", 20s));
  CHECK(relay.process().wait_for_log("reconnecting", 5s));
  CHECK(relay.process().running());
  CHECK(relay.log().find("not-the-password") == std::string::npos);
  CHECK(relay.terminate() == 0);
}

TEST_CASE("ingest: a primary without a binary log gives a clear error") {
  mariadb_options options;
  options.log_bin = false;
  mariadb_server primary(options);
  relay_harness relay(primary);
  relay.start();
  CHECK(relay.process().wait_for_log("ERROR", 20s));
  INFO(relay.log());
  CHECK(relay.log().find("inary log") != std::string::npos);
  CHECK(relay.terminate() == 0);
}

TEST_CASE(
    "ingest: a second binrelayd or binrelay-import on the same data directory is refused naming "
    "the holder, and the first one goes on") {
  mariadb_server primary;
  write_rows(primary, 0, 20);
  relay_harness first(primary);
  first.start();
  REQUIRE(first.wait_caught_up());
  std::string pid = std::to_string(first.process().pid());

  temp_dir scratch;
  child_process second(
      {binrelayd_path().string(), "--upstream=127.0.0.1:" + std::to_string(primary.port()),
       "--upstream-user=binrelay", "--server-id=4243", "--data-dir=" + first.data_dir().string()},
      scratch.path() / "second.log",
      {std::string("BINRELAY_UPSTREAM_PASSWORD=") + mariadb_server::password});
  CHECK(second.wait() != 0);
  CHECK_THAT(second.log(), Catch::Contains("is in use by another process (pid and program: " + pid +
                                           " binrelayd"));
  child_process import({import_path().string(), "--data-dir=" + first.data_dir().string(),
                        (primary.datadir() / "mysql-bin.000001").string()},
                       scratch.path() / "import.log");
  CHECK(import.wait() != 0);
  CHECK_THAT(import.log(), Catch::Contains("in use by another process"));

  write_rows(primary, 20, 40);
  CHECK(first.wait_caught_up());
  CHECK(first.compare_with_primary().empty());
  CHECK(first.terminate() == 0);
}
