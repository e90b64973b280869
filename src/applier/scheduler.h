#pragma once
// scheduler: decides which relayed transactions may run in parallel on the downstream, by the
// dependency information the primary wrote, and enforces that they commit in relay order.
// Pure logic: no threads, no I/O; the applier (applier.h) drives it. Rules: docs/applier.md.
//
//   MySQL   LOGICAL_CLOCK: T depends on every earlier E of the same relay file with
//           E.sequence_number <= T.last_committed (an unknown clock depends on everything).
//   MariaDB group commit: T is independent of the earlier E sharing its commit_id and domain
//           (both marked FL_GROUP_COMMIT_ID); it depends on everything else.
//   T may start when every earlier uncommitted E is independent of T or has executed all its
//           statements (it only waits for its turn to commit, so it holds every lock it will
//           take and T cannot block it).
//   The first transaction of a relay file and one without dependency information depend on
//           everything before. An exclusive one (DDL, statements, non-transactional engines)
//           starts only when all earlier ones committed, and nothing starts while it is
//           uncommitted.
//   Commit:  T may commit when every earlier transaction committed.
// Optimistic mode ignores the primary's dependency information: T may start whenever no
// exclusive transaction is in the way, except that one the primary marked FL_WAITED waits
// until every earlier one has executed. Conflicts are the applier's to undo (restart()).
// Transactions start in relay order (the oldest not started is the only candidate).
//
// Not thread-safe: one owner (the applier's coordinator).

#include <cstdint>
#include <deque>
#include <optional>

#include "binlog/transaction.h"

namespace binrelay::applier {

// What the primary said about a transaction's dependencies.
using binlog::schedule_info;

// A transaction's position in relay order, from add(); consecutive from 0.
using ticket = std::uint64_t;

enum class txn_state : std::uint8_t { waiting, running, executed, committed };

class scheduler {
 public:
  explicit scheduler(bool optimistic = false) : optimistic_(optimistic) {}

  // Appends the next transaction in relay order.
  ticket add(const schedule_info& info);
  // The oldest waiting transaction if it may start now.
  std::optional<ticket> next_startable() const;
  // REQUIRES: t == *next_startable().
  void start(ticket t);
  // Starts the oldest waiting transaction as part of a run: one worker executes and commits
  // it after the run's earlier transactions, on the same connection, so their dependencies
  // hold by construction. REQUIRES: t is the oldest waiting, t - 1 was started by start() or
  // start_in_run(), and the run's first transaction may commit (nothing else in flight).
  void start_in_run(ticket t);
  // All of t's statements ran; it waits for its turn to commit. REQUIRES: t is running.
  void executed(ticket t);
  // t executed, but was undone (rolled back) to run again. REQUIRES: t is executed.
  void restart(ticket t);
  // True when every transaction before t has committed.
  bool may_commit(ticket t) const { return t == base_; }
  // REQUIRES: may_commit(t) and t started.
  void committed(ticket t);

  txn_state state(ticket t) const;
  // Started and not committed.
  std::size_t in_flight() const { return in_flight_; }
  // Added and not committed.
  std::size_t pending() const { return entries_.size(); }
  // True when `later` may run concurrently with `earlier` (their dependency rule only).
  static bool independent(const schedule_info& earlier, std::uint64_t earlier_file,
                          const schedule_info& later, std::uint64_t later_file);

 private:
  struct entry {
    schedule_info info;
    std::uint64_t file = 0;  // relay file epoch, counted by new_file
    txn_state state = txn_state::waiting;
  };
  const entry& at(ticket t) const { return entries_[t - base_]; }
  entry& at(ticket t) { return entries_[t - base_]; }

  std::deque<entry> entries_;  // from base_ (oldest uncommitted) on
  ticket base_ = 0;
  std::size_t first_waiting_ = 0;  // index into entries_
  std::size_t in_flight_ = 0;
  std::uint64_t file_epoch_ = 0;
  bool optimistic_ = false;
};

}  // namespace binrelay::applier
