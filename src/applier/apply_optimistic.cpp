// apply_run: optimistic mode (apply_run.h; docs/applier.md, "Optimistic mode"). Workers run
// transactions the primary did not mark independent, in sessions that never wait for a row
// lock (innodb_lock_wait_timeout=0), and commit them in relay order. A failure settles so:
//   - a transaction that was not the oldest uncommitted one when it started may have failed
//     only because an earlier one had not run yet (a row not found, a duplicate key, a lock):
//     it rolls back, waits until every earlier one has committed, and runs again;
//   - the oldest one failing on a row lock (1205) met a later transaction's lock: every later
//     one rolls back (those still executing finish first: they cannot wait for a lock), nothing
//     new starts, and it runs again with lock waits on (a session outside the applier may hold
//     the lock); when it has committed, the later ones run again;
//   - any other failure of the oldest one is its own: retried or reported as in conservative
//     mode.

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "applier/apply_run.h"

namespace binrelay::applier {
namespace asio = boost::asio;
using asio::awaitable;

awaitable<apply_run::conflict_step> apply_run::settle_conflict(apply_worker& w, ticket t,
                                                               const apply_error& e,
                                                               bool was_head) {
  if (aborted(t)) co_return conflict_step::aborted;
  if (e.undone || !was_head) {
    ++undone_;
    if (scheduler_.state(t) == txn_state::executed) scheduler_.restart(t);
    bool parked = co_await park(w, t, !e.undone);
    co_return parked ? conflict_step::retry : conflict_step::aborted;
  }
  if (e.code != er_lock_wait_timeout || w.lock_waits) co_return conflict_step::not_a_conflict;
  holdback_ = t;
  notify_workers();
  while (parked_ + 1 < scheduler_.in_flight()) {
    if (aborted(t)) co_return conflict_step::aborted;
    w.turn.expires_after(std::chrono::hours(1));
    co_await w.turn.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  auto r = co_await w.conn.query(
      fmt::format("SET SESSION innodb_lock_wait_timeout={}", config_.lock_wait_timeout_s));
  if (!r) {
    fail_on(t, r.error());
    co_return conflict_step::aborted;
  }
  w.lock_waits = true;
  co_return conflict_step::retry;
}

// Waits, holding no locks, until t may run again: when it is the oldest uncommitted
// transaction (until_head), else when no earlier one is held back. False when the run failed.
awaitable<bool> apply_run::park(apply_worker& w, ticket t, bool until_head) {
  ++parked_;
  notify_workers();  // the held-back transaction may be waiting for this one
  while (!aborted(t) && (until_head ? !scheduler_.may_commit(t) : undoing(t))) {
    w.turn.expires_after(std::chrono::hours(1));
    co_await w.turn.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  --parked_;
  co_return !aborted(t);
}

awaitable<result<void>> apply_run::restore_lock_waits(apply_worker& w) {
  if (!w.lock_waits) co_return result<void>{};
  w.lock_waits = false;
  auto r = co_await w.conn.query("SET SESSION innodb_lock_wait_timeout=0");
  if (!r) co_return r.error();
  co_return result<void>{};
}

}  // namespace binrelay::applier
