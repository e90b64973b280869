#include <catch2/catch.hpp>

#include "relay/replica_registry.h"

using namespace binrelay::relay;

namespace {

replica_info replica(std::uint32_t server_id, std::string host = "10.0.0.1") {
  replica_info i;
  i.server_id = server_id;
  i.host = std::move(host);
  return i;
}

}  // namespace

TEST_CASE("replica_registry: a second registration of a server_id replaces and closes the first") {
  replica_registry r;
  int closed_first = 0;
  int closed_second = 0;
  r.register_replica(replica(7, "a"), [&] { ++closed_first; });
  auto second = r.register_replica(replica(7, "b"), [&] { ++closed_second; });
  CHECK(closed_first == 1);
  CHECK(closed_second == 0);
  auto all = r.snapshot();
  REQUIRE(all.size() == 1);
  CHECK(all[0].host == "b");
  r.unregister(second);
  CHECK(r.size() == 0);
}

TEST_CASE(
    "replica_registry: progress of a replaced entry is ignored, snapshot ordered by server_id") {
  replica_registry r;
  auto old = r.register_replica(replica(9), {});
  r.register_replica(replica(9), {});
  r.register_replica(replica(3), {});
  r.update_progress(old, {"relay-bin.000002", 400}, "0-1-5", 1000);
  auto all = r.snapshot();
  REQUIRE(all.size() == 2);
  CHECK(all[0].server_id == 3);
  CHECK(all[1].server_id == 9);
  CHECK(all[1].bytes_sent == 0);
  CHECK_FALSE(r.oldest_file_in_use());
}

TEST_CASE("replica_registry: the oldest file in use is the smallest file a dumping replica reads") {
  replica_registry r;
  auto a = r.register_replica(replica(1), {});
  auto b = r.register_replica(replica(2), {});
  r.register_replica(replica(3), {});  // registered, not dumping
  r.update_progress(a, {"relay-bin.000004", 120}, "0-1-9", 500);
  r.update_progress(b, {"relay-bin.000002", 4}, "", 10);
  CHECK(r.oldest_file_in_use() == std::optional<std::string>("relay-bin.000002"));
  auto all = r.snapshot();
  CHECK(all[0].last_sent_gtid == "0-1-9");
  CHECK(all[0].position.offset == 120);
  r.unregister(b);
  CHECK(r.oldest_file_in_use() == std::optional<std::string>("relay-bin.000004"));
}

TEST_CASE("replica_registry: lag is the store's newest timestamp minus the last one sent") {
  replica_registry r;
  auto t = r.register_replica(replica(7), [] {});
  log_position end{"relay-bin.000003", 900};
  auto lag = [&] { return replica_lag_seconds(r.snapshot().at(0), end, 1'700'000'100); };
  CHECK_FALSE(lag().has_value());  // before its first event
  r.update_progress(t, {"relay-bin.000002", 400}, "0-1-5", 1000, 1'700'000'040);
  CHECK(lag() == 60);
  r.update_progress(t, {"relay-bin.000002", 800}, "", 2000, 0);  // timestamp kept
  CHECK(r.snapshot().at(0).last_event_timestamp == 1'700'000'040);
  r.update_progress(t, end, "0-1-9", 3000, 1'700'000'090);
  CHECK(lag() == 0);  // read up to the store's end
  CHECK_FALSE(replica_lag_seconds(r.snapshot().at(0), {"relay-bin.000004", 4}, 0).has_value());
}
