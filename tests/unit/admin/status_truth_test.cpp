// Seconds_Behind_Master and Slave_SQL_Running_State from the snapshots they are computed from.

#include <catch2/catch.hpp>

#include "admin/replica_status.h"

using namespace binrelay;
using namespace binrelay::admin;

namespace {

constexpr const char* read_all = "Replica has read all relay log; waiting for more updates";

gtid::gtid_state mariadb_pos(const std::string& text) {
  auto p = gtid::mariadb_gtid_position::parse(text);
  REQUIRE(p);
  return {true, {}, *p};
}

// Connected, an applier running, 0-1-100 retrieved and `executed` applied.
replica_status_inputs inputs(const std::string& executed) {
  replica_status_inputs in;
  in.upstream.running = relay::io_running::yes;
  in.store.retrieved = mariadb_pos("0-1-100");
  in.applier.configured = true;
  in.applier.running = true;
  in.applier.executed = mariadb_pos(executed);
  in.now_unix = 10'000;
  return in;
}

}  // namespace

TEST_CASE("status: behind, the lag is from the oldest transaction read but not committed") {
  auto in = inputs("0-1-50");
  in.applier.applying_event_unix = 9'000;
  in.applier.last_applied_event_unix = 9'500;
  in.applier.state = "Waiting for replica workers to process their queues";
  CHECK(seconds_behind_source(in) == 1'000);
  CHECK(sql_running_state(in) == in.applier.state);
  in.applier.applying_event_unix = 0;  // nothing pending: the last committed one
  CHECK(seconds_behind_source(in) == 500);
}

TEST_CASE("status: an applier that says caught up while retrieved GTIDs are unapplied is behind") {
  auto in = inputs("0-1-68");
  in.applier.caught_up = true;
  in.applier.state = read_all;
  in.applier.last_applied_event_unix = 9'990;
  CHECK(seconds_behind_source(in) == 10);
  CHECK(sql_running_state(in) == "Reading event from the relay log");
  in.applier.executed = mariadb_pos("0-1-100");
  CHECK(seconds_behind_source(in) == 0);
  CHECK(sql_running_state(in) == read_all);
}

TEST_CASE("status: NULL with the SQL thread stopped or the IO thread not connected") {
  auto in = inputs("0-1-100");
  in.applier.caught_up = true;
  CHECK(seconds_behind_source(in) == 0);
  in.upstream.running = relay::io_running::connecting;
  CHECK_FALSE(seconds_behind_source(in));
  in.upstream.running = relay::io_running::yes;
  in.applier.running = false;
  CHECK_FALSE(seconds_behind_source(in));
}

TEST_CASE("status: a MySQL applier is caught up when its executed set holds the retrieved one") {
  replica_status_inputs in;
  in.upstream.running = relay::io_running::yes;
  auto set = [](const char* text) {
    auto s = gtid::gtid_set::parse(text);
    REQUIRE(s);
    return gtid::gtid_state{false, *s, {}};
  };
  in.store.retrieved = set("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-10");
  in.applier = {};
  in.applier.configured = in.applier.running = in.applier.caught_up = true;
  in.applier.executed = set("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-9");
  in.applier.last_applied_event_unix = 1;
  in.now_unix = 31;
  CHECK(seconds_behind_source(in) == 30);
  in.applier.executed = set("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-12");
  CHECK(seconds_behind_source(in) == 0);
}
