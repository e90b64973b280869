#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "relay/logical_clock_rewriter.h"

using namespace binrelay::relay;

namespace {

// One step of a scenario: an optional marker, then a transaction's upstream clock and the
// clock it must get in our file. This is the example table of docs/relay-store.md.
enum class marker { none, upstream_rotate, our_rotate };
struct step {
  marker before;
  logical_clock upstream;
  logical_clock ours;
};

void run(const std::vector<step>& steps, logical_clock_rewriter& rw) {
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const step& s = steps[i];
    if (s.before == marker::upstream_rotate) rw.start_upstream_run();
    if (s.before == marker::our_rotate) rw.start_file();
    logical_clock got = rw.map(s.upstream);
    INFO("step " << i << ": upstream (" << s.upstream.last_committed << ","
                 << s.upstream.sequence_number << ")");
    CHECK(got.last_committed == s.ours.last_committed);
    CHECK(got.sequence_number == s.ours.sequence_number);
  }
}

}  // namespace

TEST_CASE("logical_clock_rewriter: our rotation mid upstream file and upstream rotation mid ours") {
  const std::vector<step> steps = {
      {marker::none, {0, 1}, {0, 1}},
      {marker::none, {1, 2}, {1, 2}},
      {marker::none, {1, 3}, {1, 3}},
      // our file 2 starts: first transaction must be (0, 1); parents in file 1 become 0
      {marker::our_rotate, {3, 4}, {0, 1}},
      {marker::none, {3, 5}, {0, 2}},
      {marker::none, {5, 6}, {2, 3}},
      // the upstream switches files: its numbers restart at 1; (0,1) means "after all"
      {marker::upstream_rotate, {0, 1}, {3, 4}},
      {marker::none, {1, 2}, {4, 5}},
      {marker::none, {1, 3}, {4, 6}},
      {marker::none, {3, 4}, {6, 7}},
  };
  logical_clock_rewriter rw;
  run(steps, rw);
}

TEST_CASE("logical_clock_rewriter: a gap in upstream numbers depends on everything before") {
  // A reconnect skips transactions the relay already has: the upstream continues at 57.
  const std::vector<step> steps = {
      {marker::none, {0, 1}, {0, 1}},
      {marker::none, {0, 2}, {0, 2}},
      {marker::upstream_rotate, {55, 57}, {2, 3}},
      {marker::none, {55, 58}, {2, 4}},
      {marker::none, {57, 59}, {3, 5}},
      // a gap without a marker (excluded transactions) also starts a new run
      {marker::none, {60, 70}, {5, 6}},
      {marker::none, {70, 71}, {6, 7}},
  };
  logical_clock_rewriter rw;
  run(steps, rw);
}

TEST_CASE("logical_clock_rewriter: sequence numbers stay above last_committed and increase") {
  logical_clock_rewriter rw;
  std::uint64_t prev_seq = 0;
  for (std::uint64_t i = 1; i <= 200; ++i) {
    if (i % 37 == 0) rw.start_upstream_run();
    if (i % 23 == 0) {
      rw.start_file();
      prev_seq = 0;
    }
    std::uint64_t up_seq = (i % 37) + 1;
    logical_clock got = rw.map({up_seq > 3 ? up_seq - 3 : 0, up_seq});
    CHECK(got.sequence_number > got.last_committed);
    CHECK(got.sequence_number == prev_seq + 1);
    prev_seq = got.sequence_number;
  }
}

TEST_CASE("logical_clock_rewriter: resume after recovery continues our file's numbering") {
  logical_clock_rewriter rw;
  rw.resume_file(41);
  logical_clock got = rw.map({7, 9});
  CHECK(got == logical_clock{41, 42});
  // parents before the resumed run's first transaction mean "everything before it"
  CHECK(rw.map({8, 10}) == logical_clock{41, 43});
  CHECK(rw.map({9, 11}) == logical_clock{42, 44});
  CHECK(rw.map({11, 12}) == logical_clock{44, 45});
}
