// The scheduler's dependency and commit-order rules: tables of transactions -> what may
// start, and a randomised-timing simulation that checks the rules are never broken.

#include <catch2/catch.hpp>

#include <random>
#include <vector>

#include "applier/scheduler.h"

using namespace binrelay::applier;

namespace {

schedule_info mysql(std::uint64_t lc, std::uint64_t seq, bool new_file = false) {
  schedule_info s;
  s.last_committed = lc;
  s.sequence_number = seq;
  s.new_file = new_file;
  return s;
}

schedule_info mariadb(std::optional<std::uint64_t> commit_id, std::uint32_t domain = 0) {
  schedule_info s;
  s.commit_id = commit_id;
  s.domain_id = domain;
  return s;
}

schedule_info ddl() {
  schedule_info s;
  s.exclusive = true;
  return s;
}

// Starts every transaction that may start now; returns how many started.
int start_all(scheduler& s) {
  int n = 0;
  while (auto t = s.next_startable()) {
    s.start(*t);
    ++n;
  }
  return n;
}

}  // namespace

TEST_CASE("scheduler: MySQL transactions of one commit group start together") {
  scheduler s;
  s.add(mysql(0, 1, true));
  s.add(mysql(1, 2));
  s.add(mysql(1, 3));
  s.add(mysql(1, 4));
  s.add(mysql(3, 5));
  CHECK(start_all(s) == 1);  // 1 starts; 2 depends on it
  s.executed(0);
  CHECK(start_all(s) == 3);  // 2, 3, 4 share last_committed 1; 5 needs 3
  CHECK(s.in_flight() == 4);
  s.executed(2);
  CHECK_FALSE(s.next_startable());  // 5 depends on 3 (seq <= 3): 1 is executed, 2 is not
  s.executed(1);
  CHECK(start_all(s) == 1);
}

TEST_CASE("scheduler: commit order is relay order whatever finishes first") {
  scheduler s;
  s.add(mysql(0, 1, true));
  s.add(mysql(0, 2));
  s.add(mysql(0, 3));
  CHECK(start_all(s) == 3);
  s.executed(2);
  CHECK_FALSE(s.may_commit(2));
  CHECK(s.may_commit(0));
  s.executed(0);
  s.committed(0);
  CHECK(s.may_commit(1));
  CHECK_FALSE(s.may_commit(2));
  s.executed(1);
  s.committed(1);
  CHECK(s.may_commit(2));
  s.committed(2);
  CHECK(s.pending() == 0);
  CHECK(s.state(1) == txn_state::committed);
}

TEST_CASE("scheduler: a new relay file depends on everything before it") {
  scheduler s;
  s.add(mysql(0, 1, true));
  s.add(mysql(0, 2));
  s.add(mysql(0, 1, true));  // numbers restart in the next file
  CHECK(start_all(s) == 2);
  s.executed(0);
  CHECK_FALSE(s.next_startable());
  s.executed(1);
  CHECK(start_all(s) == 1);
}

TEST_CASE("scheduler: an unknown or invalid clock depends on everything before it") {
  scheduler s;
  s.add(mysql(0, 1, true));
  s.add(mysql(0, 2));
  s.add(schedule_info{});  // no clock at all
  s.add(mysql(5, 5));      // last_committed >= sequence_number: invalid
  CHECK(start_all(s) == 2);
  s.executed(1);
  CHECK_FALSE(s.next_startable());
  s.executed(0);
  CHECK(start_all(s) == 1);
  CHECK_FALSE(s.next_startable());
  s.executed(2);
  CHECK(start_all(s) == 1);
}

TEST_CASE("scheduler: MariaDB transactions with one commit_id and domain run in parallel") {
  scheduler s;
  s.add(mariadb(10));
  s.add(mariadb(10));
  s.add(mariadb(10, 1));  // other domain: not the same group
  s.add(mariadb(11));
  s.add(mariadb(std::nullopt));
  CHECK(start_all(s) == 2);
  s.executed(0);
  CHECK_FALSE(s.next_startable());
  s.executed(1);
  CHECK(start_all(s) == 1);
  s.executed(2);
  CHECK(start_all(s) == 1);
  s.executed(3);
  CHECK(start_all(s) == 1);
}

TEST_CASE("scheduler: DDL waits for every earlier commit and runs alone") {
  scheduler s;
  s.add(mariadb(7));
  s.add(ddl());
  s.add(mariadb(8));
  CHECK(start_all(s) == 1);
  s.executed(0);
  CHECK_FALSE(s.next_startable());  // executed is not enough for DDL
  s.committed(0);
  CHECK(start_all(s) == 1);
  s.executed(1);
  CHECK_FALSE(s.next_startable());  // nothing starts beside uncommitted DDL
  s.committed(1);
  CHECK(start_all(s) == 1);
}

namespace {

struct sim_txn {
  schedule_info info;
  std::uint64_t file = 0;
};

std::vector<sim_txn> random_workload(std::mt19937& rng, int count) {
  std::vector<sim_txn> out;
  std::uint64_t seq = 0, file = 0, commit_id = 100;
  bool maria = rng() % 2;
  for (int i = 0; i < count; ++i) {
    sim_txn t;
    if (rng() % 40 == 0 || i == 0) {
      t.info.new_file = true;
      ++file;
      seq = 0;
    }
    t.file = file;
    if (rng() % 30 == 0) {
      t.info.exclusive = true;
    } else if (maria) {
      if (rng() % 3 == 0) commit_id += 1;
      if (rng() % 8) t.info.commit_id = commit_id;
      t.info.domain_id = rng() % 10 == 0;
    } else if (rng() % 25) {
      ++seq;
      t.info.sequence_number = seq;
      t.info.last_committed = seq - 1 - std::min<std::uint64_t>(seq - 1, rng() % 5);
    }
    out.push_back(t);
  }
  return out;
}

// Checks the rules at the moment `t` starts.
void check_start(const scheduler& s, const std::vector<sim_txn>& w, ticket t) {
  for (ticket e = 0; e < t; ++e) {
    auto st = s.state(e);
    REQUIRE(st != txn_state::waiting);
    if (st == txn_state::committed) continue;
    INFO("start " << t << " with " << e << " uncommitted");
    REQUIRE_FALSE(w[t].info.exclusive);
    REQUIRE_FALSE(w[e].info.exclusive);
    if (st == txn_state::executed) continue;
    REQUIRE(scheduler::independent(w[e].info, w[e].file, w[t].info, w[t].file));
  }
}

}  // namespace

TEST_CASE("scheduler: random timing never breaks commit order or dependencies") {
  std::mt19937 rng(5);
  for (int round = 0; round < 200; ++round) {
    auto w = random_workload(rng, 300);
    scheduler s;
    for (const auto& t : w) s.add(t.info);
    std::size_t workers = 1 + rng() % 8;
    std::vector<ticket> running;
    ticket next_commit = 0;
    int idle_steps = 0;
    while (next_commit < w.size()) {
      bool progressed = false;
      auto c = s.next_startable();
      if (c && running.size() < workers && rng() % 2) {
        check_start(s, w, *c);
        s.start(*c);
        running.push_back(*c);
        progressed = true;
      } else if (!running.empty()) {
        std::size_t i = rng() % running.size();
        ticket t = running[i];
        if (s.state(t) == txn_state::running) {
          s.executed(t);
          progressed = true;
        } else if (s.may_commit(t)) {
          REQUIRE(t == next_commit);
          s.committed(t);
          ++next_commit;
          running.erase(running.begin() + static_cast<std::ptrdiff_t>(i));
          progressed = true;
        }
      }
      idle_steps = progressed ? 0 : idle_steps + 1;
      REQUIRE(idle_steps < 10000);  // no deadlock
    }
    REQUIRE(s.pending() == 0);
  }
}

TEST_CASE("scheduler: a run started together holds back what depends on it until it commits") {
  scheduler s;
  s.add(mariadb(std::nullopt));  // 0..2: one run on one worker
  s.add(mariadb(std::nullopt));
  s.add(mariadb(7));
  s.add(mariadb(7));             // 3: same commit group as 2, but 0 and 1 are not its group
  s.add(mariadb(std::nullopt));  // 4
  REQUIRE(s.next_startable() == ticket{0});
  REQUIRE(s.may_commit(0));
  s.start(0);
  s.start_in_run(1);
  s.start_in_run(2);
  CHECK(s.in_flight() == 3);
  CHECK(s.state(2) == txn_state::running);
  CHECK_FALSE(s.next_startable());  // 3 depends on 0 and 1, running
  s.committed(0);
  s.committed(1);
  CHECK(s.next_startable() == ticket{3});  // only 2 is uncommitted, and it shares 3's group
  s.committed(2);
  CHECK(start_all(s) == 1);  // 3; 4 waits for it
  CHECK(s.pending() == 2);
}

TEST_CASE("scheduler: optimistic mode starts transactions the primary did not mark independent") {
  scheduler s(true);
  s.add(mariadb(10));
  s.add(mariadb(11));
  s.add(mysql(0, 1, true));
  s.add(mariadb(std::nullopt));
  CHECK(start_all(s) == 4);
  CHECK(s.in_flight() == 4);
  CHECK_FALSE(s.may_commit(1));
  s.executed(1);
  s.restart(1);  // undone after it executed: runs again
  CHECK(s.state(1) == txn_state::running);
  s.executed(0);
  s.committed(0);
  CHECK(s.may_commit(1));
}

TEST_CASE("scheduler: optimistic mode keeps FL_WAITED transactions and DDL conservative") {
  scheduler s(true);
  s.add(mariadb(10));
  schedule_info waited = mariadb(11);
  waited.waited = true;
  s.add(waited);
  s.add(mariadb(12));
  s.add(ddl());
  s.add(mariadb(13));
  CHECK(start_all(s) == 1);  // the waited one needs every earlier one executed
  s.executed(0);
  CHECK(start_all(s) == 2);  // the waited one, then the next runs optimistically again
  s.executed(1);
  s.executed(2);
  CHECK_FALSE(s.next_startable());  // DDL waits for every earlier commit
  s.committed(0);
  s.committed(1);
  s.committed(2);
  CHECK(start_all(s) == 1);  // DDL alone
  CHECK_FALSE(s.next_startable());
  s.executed(3);
  s.committed(3);
  CHECK(start_all(s) == 1);
}
