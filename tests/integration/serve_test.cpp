// binrelayd serving real MariaDB 10.11 replicas: MariaDB primary -> binrelayd -> replicas with
// CHANGE MASTER TO ... MASTER_USE_GTID=slave_pos, under load, with restarts on both sides, and
// the 1236 refusals a replica sees in its own SHOW SLAVE STATUS.

#include <catch2/catch.hpp>

#include <thread>

#include "integration/relay_harness.h"
#include "integration/serve_support.h"

using namespace binrelay::test;
using namespace std::chrono_literals;

namespace {

mariadb_server make_replica(std::uint32_t server_id) {
  mariadb_options o;
  o.server_id = server_id;
  return mariadb_server(o);
}

// Both replicas at the primary's position with every table equal.
void check_converged(const mariadb_server& primary, const mariadb_server& replica) {
  std::string target = primary.scalar("SELECT @@gtid_binlog_pos");
  bool at = wait_replica_at(replica, target);
  INFO(replica_report(replica));
  REQUIRE(at);
  auto expected = table_checksums(primary, "sbtest");
  CHECK(expected.size() == 4);
  CHECK(table_checksums(replica, "sbtest") == expected);
  CHECK(table_checksums(replica, "t") == table_checksums(primary, "t"));
}

}  // namespace

TEST_CASE(
    "serve: two MariaDB replicas follow binrelayd under load through replica and relay restarts",
    "[serve]") {
  mariadb_server primary;
  prepare_sysbench(primary, 4, 2000);
  serving_relay s(primary, {"--relay-log-max-size=1000000"}, 0);
  relay_harness& relay = s.relay;
  std::uint16_t port = s.port;
  const temp_dir& scratch = s.scratch;
  mariadb_server r1 = make_replica(11);
  mariadb_server r2 = make_replica(12);
  follow_relay(r1, port);
  follow_relay(r2, port);
  auto load = start_load(primary, scratch, 12);
  std::this_thread::sleep_for(3s);
  r1.query("STOP SLAVE");
  std::this_thread::sleep_for(1s);
  r1.query("START SLAVE");
  std::this_thread::sleep_for(2s);
  relay.kill9();
  relay.start();
  REQUIRE(load->wait() == 0);
  write_rows(primary, 0, 20);
  REQUIRE(relay.wait_caught_up());
  check_converged(primary, r1);
  check_converged(primary, r2);
  CHECK(slave_status(r1, "Slave_IO_Running") == "Yes");
  CHECK(slave_status(r2, "Slave_SQL_Running") == "Yes");
  INFO(relay.log());
  CHECK(relay.log().find("ERROR") == std::string::npos);
  CHECK(relay.terminate() == 0);
}

TEST_CASE("serve: a replica idle at the end of the log gets heartbeats and then new transactions",
          "[serve]") {
  mariadb_server primary;
  serving_relay s(primary, {}, 5);
  mariadb_server replica = make_replica(21);
  follow_relay(replica, s.port, ", MASTER_HEARTBEAT_PERIOD=0.2");
  REQUIRE(wait_replica_at(replica, primary.scalar("SELECT @@gtid_binlog_pos")));
  std::this_thread::sleep_for(2s);
  auto row = replica.rows("SHOW GLOBAL STATUS LIKE 'Slave_received_heartbeats'");
  REQUIRE(!row.empty());
  CHECK(std::stoi(row[0][1]) >= 5);
  write_rows(primary, 5, 10);
  REQUIRE(wait_replica_at(replica, primary.scalar("SELECT @@gtid_binlog_pos"), 30s));
  CHECK(replica.scalar("SELECT COUNT(*) FROM t.a") == "10");
  CHECK(s.relay.terminate() == 0);
}

TEST_CASE("serve: a replica ahead of binrelayd sees error 1236 in its SHOW SLAVE STATUS",
          "[serve]") {
  mariadb_server primary;
  serving_relay s(primary, {}, 5);
  mariadb_server replica = make_replica(31);
  replica.query("SET GLOBAL gtid_slave_pos='0-1-1000'");
  follow_relay(replica, s.port);
  std::string error = wait_io_error(replica, "1236");
  INFO(replica_report(replica) << s.relay.log());
  CHECK(error.find("Got fatal error 1236 from master when reading data from binary log: "
                   "'Error: connecting slave requested to start from GTID 0-1-1000, which is "
                   "not in the master's binlog'") != std::string::npos);
  CHECK(s.relay.terminate() == 0);
}

TEST_CASE("serve: a replica needing purged relay log files sees error 1236", "[serve]") {
  mariadb_server primary;
  serving_relay s(primary, {"--relay-log-max-size=2000", "--retention-bytes=6000"}, 60);
  REQUIRE(relay_files(s.relay.data_dir()).front().filename() != "relay-bin.000001");
  mariadb_server replica = make_replica(41);
  follow_relay(replica, s.port);
  std::string error = wait_io_error(replica, "1236");
  INFO(replica_report(replica) << s.relay.log());
  CHECK(error.find("Could not find GTID state requested by slave in any binlog files. Probably "
                   "the slave state is too old and required binlog files have been purged.") !=
        std::string::npos);
  CHECK(s.relay.terminate() == 0);
}
