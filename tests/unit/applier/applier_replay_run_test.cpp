// The applier replaying MariaDB transactions as one batch (apply_replay_run.cpp) against a
// scripted downstream: a statement failing in the middle of the batch.

#include <set>

#include <catch2/catch.hpp>

#include "unit/applier/applier_harness.h"

using namespace binrelay;
using namespace binrelay::test;

TEST_CASE(
    "applier: when the k-th transaction of a replay batch fails, the ones before it count as "
    "committed, it is retried alone, and none after it commits before it") {
  applier_harness h;
  h.config.method = applier::apply_method::replay;
  h.log.append(parallel_transactions(6));
  h.fake.add_rule({"^BINLOG '", 103, 1, fake_action::err, 1213,
                   "Deadlock found when trying to get lock; try restarting transaction"});
  auto retry = h.fake.hold("gtid_seq_no=103$", 103, 2);
  h.start();
  h.run_until([&] { return h.fake.held() == 1; }, "the third transaction is retried");

  // One multi-statement batch carried all six; it stopped at the third.
  auto batch = h.fake.statements_matching("gtid_seq_no=10[1-6]$");
  REQUIRE(batch.size() >= 3);
  CHECK(batch[0].command == batch[2].command);
  CHECK(h.fake.commits() == gtids_in_order(2));
  auto s = h.snapshot();
  CHECK(s.relay_log_pos == h.log.transactions()[1].end_offset);
  CHECK(s.executed.to_string() == "0-1-102");

  h.fake.release(retry);
  h.run_until_applied(6);
  CHECK(h.fake.commits() == gtids_in_order(6));
  // The retry went alone: its command named no other transaction.
  auto retried = h.fake.statements_matching("gtid_seq_no=103$").back().command;
  std::set<std::uint64_t> in_retry;
  for (const auto& st : h.fake.statements()) {
    if (st.command == retried) in_retry.insert(st.seq_no);
  }
  in_retry.erase(102);  // statements before its SET gtid_seq_no (the FDE) carry the last one
  CHECK(in_retry == std::set<std::uint64_t>{103});
  CHECK(h.snapshot().executed.to_string() == "0-1-106");
}
