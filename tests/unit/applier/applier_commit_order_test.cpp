// The applier's coordinator and workers against a scripted downstream: parallel transactions
// commit in relay order, whatever order the downstream answers them in.

#include <catch2/catch.hpp>

#include "unit/applier/applier_harness.h"

using namespace binrelay;
using namespace binrelay::test;

namespace {

// Runs until nothing has happened for a while: the applier waits for the downstream.
void settle(applier_harness& h) {
  while (h.ctx.run_one_for(std::chrono::milliseconds(30)) > 0) {
  }
  h.ctx.restart();
}

bool received(const fake_downstream& fake, const std::string& regex) {
  return !fake.statements_matching(regex).empty();
}

}  // namespace

TEST_CASE(
    "applier: with 4 workers, later transactions of a group commit wait for earlier ones "
    "answered late, and every COMMIT reaches the downstream in relay order") {
  applier_harness h;
  h.log.append(parallel_transactions(8));
  auto first = h.fake.hold("^BEGIN$", 101);
  auto second = h.fake.hold("^BEGIN$", 102);
  h.start();
  h.run_until([&] { return received(h.fake, "'0-1-103'") && received(h.fake, "'0-1-104'"); },
              "the 3rd and 4th transactions ran while the first two are held");
  settle(h);
  CHECK(h.fake.held() == 2);
  CHECK(h.fake.commits().empty());
  CHECK_FALSE(received(h.fake, "gtid_seq_no=105"));  // every worker is busy

  h.fake.release(second);
  settle(h);
  CHECK(h.fake.commits().empty());  // the second has executed; the first has not

  h.fake.release(first);
  h.run_until_applied(8);
  CHECK(h.fake.commits() == gtids_in_order(8));
  auto s = h.snapshot();
  CHECK(s.running);
  CHECK(s.executed.to_string() == "0-1-108");
  CHECK(s.relay_log_pos == h.log.transactions().back().end_offset);
}

TEST_CASE("applier: transactions appended while it waits for the relay log are applied") {
  applier_harness h;
  auto txns = parallel_transactions(4);
  h.log.append({txns[0], txns[1]});
  h.start();
  h.run_until_applied(2);
  h.run_until([&] { return h.snapshot().caught_up && h.log.waiting() == 1; },
              "the applier waits for the relay log to grow");

  h.log.append({txns[2], txns[3]});
  h.run_until_applied(4);
  CHECK(h.fake.commits() == gtids_in_order(4));
  CHECK(h.log.opened() == 1);  // woken, not restarted
}
