// catch_up_tracker: the 10 s progress line of a reader behind the relay log's end.

#include <catch2/catch.hpp>

#include "daemon/catch_up.h"

using namespace binrelay;
using namespace binrelay::daemon;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {

relay::file_info file(std::uint64_t number, std::uint64_t size) {
  relay::file_info f;
  f.name = "relay-bin.00000" + std::to_string(number);
  f.number = number;
  f.size = size;
  return f;
}

constexpr std::uint64_t mb = 1'000'000;

}  // namespace

TEST_CASE("catch_up: a reader far behind gets position, distance, rate and time left") {
  catch_up_tracker t;
  auto t0 = clock_type::now();
  t.observe_store({file(1, 100 * mb), file(2, 50 * mb)}, {"relay-bin.000002", 50 * mb});
  CHECK_FALSE(t.sample("applier", "applier", {"relay-bin.000001", 10 * mb}, t0));  // first sample
  t.end_round();
  // 10 s later: the reader read 40 MB, the store grew 10 MB.
  t.observe_store({file(1, 100 * mb), file(2, 60 * mb)}, {"relay-bin.000002", 60 * mb});
  auto line = t.sample("applier", "applier", {"relay-bin.000001", 50 * mb}, t0 + 10s);
  REQUIRE(line);
  CHECK(*line ==
        "applier catching up: at relay-bin.000001:50000000, 110.0 MB behind, reading 4.0 MB/s, "
        "about 37 s left");
}

TEST_CASE("catch_up: a reader slower than the writer is told it is not gaining") {
  catch_up_tracker t;
  auto t0 = clock_type::now();
  t.observe_store({file(1, 20 * mb)}, {"relay-bin.000001", 20 * mb});
  CHECK_FALSE(t.sample("replica 2", "replica 2", {"relay-bin.000001", 0}, t0));
  t.end_round();
  t.observe_store({file(1, 40 * mb)}, {"relay-bin.000001", 40 * mb});
  auto line = t.sample("replica 2", "replica 2", {"relay-bin.000001", 10 * mb}, t0 + 10s);
  REQUIRE(line);
  CHECK_THAT(*line,
             Catch::EndsWith("reading 1.0 MB/s, not gaining (the relay log grows 2.0 MB/s)"));
}

TEST_CASE("catch_up: silent near the end, one caught-up line after reporting, purges ignored") {
  catch_up_tracker t;
  auto t0 = clock_type::now();
  t.observe_store({file(1, 10 * mb), file(2, 10 * mb)}, {"relay-bin.000002", 10 * mb});
  CHECK_FALSE(t.sample("a", "applier", {"relay-bin.000001", 0}, t0));
  t.end_round();
  CHECK(t.sample("a", "applier", {"relay-bin.000001", 5 * mb}, t0 + 10s));
  t.end_round();
  // relay-bin.000001 was purged: its size is remembered, so the distance stays right.
  t.observe_store({file(2, 10 * mb)}, {"relay-bin.000002", 10 * mb});
  auto done = t.sample("a", "applier", {"relay-bin.000002", 9'500'000}, t0 + 20s);
  REQUIRE(done);
  CHECK(*done == "applier caught up with the relay log at relay-bin.000002:9500000");
  t.end_round();
  CHECK_FALSE(t.sample("a", "applier", {"relay-bin.000002", 10 * mb}, t0 + 30s));
}

TEST_CASE("catch_up: a reader that went away starts over when it comes back") {
  catch_up_tracker t;
  auto t0 = clock_type::now();
  t.observe_store({file(1, 100 * mb)}, {"relay-bin.000001", 100 * mb});
  CHECK_FALSE(t.sample("r", "replica", {"relay-bin.000001", 0}, t0));
  t.end_round();
  t.end_round();  // not sampled in this round: forgotten
  CHECK_FALSE(t.sample("r", "replica", {"relay-bin.000001", 50 * mb}, t0 + 20s));
  CHECK_FALSE(t.sample("x", "unknown file", {"other-bin.000001", 0}, t0 + 20s));
}
