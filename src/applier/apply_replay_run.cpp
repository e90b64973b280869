// apply_run: a run of replayable transactions on one worker (docs/applier.md, "Replay"):
// consecutive transactions started together when nothing earlier was in flight, sent in
// batches of SET gtid_seq_no;BINLOG '...';COMMIT statements (replay_batch.h) with two batches
// in flight (runs are capped at one batch for now: apply_run::run_length). After a failure
// the batches behind it stop at their guard, the failing transaction is applied alone
// (apply_with_retries) and the run goes on after it.

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "applier/apply_run.h"
#include "common/base64.h"

namespace binrelay::applier {
namespace asio = boost::asio;
using asio::awaitable;

// Where the replay batch from `from` ends: at most max_replay_batch transactions and the
// worker's byte limit (one transaction alone may be up to the limit; mark_replayable).
ticket apply_run::batch_end(const apply_worker& w, ticket from, ticket end) {
  std::size_t bytes = 0;
  ticket t = from;
  for (; t < end && t - from < config_.max_replay_batch; ++t) {
    bytes += base64_length(txn_at(t).events.size());
    if (t > from && bytes >= w.max_replay_bytes()) break;
  }
  return t;
}

// Sends the next batch of the run (guarded when another is in flight); false on a lost
// connection (the run failed).
awaitable<bool> apply_run::send_run_batch(apply_worker& w, run_flight& f) {
  ticket stop = batch_end(w, f.next, f.end);
  run_flight::batch rb{f.next, {}};
  std::uint64_t id = w.next_batch_id();
  if (!f.batches.empty()) rb.statements.guard(id - 1);
  for (ticket i = f.next; i < stop; ++i) {
    w.append_replay(rb.statements, txn_at(i), true, !sparse_progress_ || i + 1 == stop);
  }
  rb.statements.mark(id);
  if (auto s = co_await w.start_replay(rb.statements); !s) {
    fail(f.next, run_outcome::connection_error, connection_lost(s.error()));
    co_return false;
  }
  f.next = stop;
  f.batches.push_back(std::move(rb));
  co_return true;
}

// The run's transactions were started together and commit one after the other on this
// connection, in batches of which two are in flight (the downstream executes one while the
// next is built and sent). After a failure the batches behind it fail at their guard; the
// failing transaction is applied alone (retries, diagnosis) and the run goes on after it.
awaitable<void> apply_run::work_run(apply_worker& w, ticket first, std::size_t count) {
  run_flight f{first, first + count, {}};
  ticket t = first;  // the run's oldest uncommitted transaction
  while (t < f.end && !aborted(t)) {
    while (f.batches.size() < run_flight::depth && f.next < f.end && !control_.stopping) {
      if (!co_await send_run_batch(w, f)) {
        release(w);
        co_return;
      }
    }
    if (f.batches.empty()) break;
    auto done = co_await w.finish_replay(f.batches.front().statements);
    if (!done) {
      fail(t, run_outcome::connection_error, connection_lost(done.error()));
      break;
    }
    for (std::uint32_t k = 0; k < done->committed; ++k, ++t) on_committed(t, txn_at(t), false);
    f.batches.pop_front();
    if (!done->failed) continue;
    if (!co_await drain(w, f, t)) break;
    auto part = done->failed->part;
    if (part == replay_part::guard || part == replay_part::mark || t >= f.end) continue;
    if (!co_await apply_with_retries(w, t, txn_at(t))) break;
    f.next = ++t;
  }
  release(w);
}

// After a failure: reads the answers of the batches still in flight (they stop at their
// guard), rolls back, and makes the run send again from `t`.
awaitable<bool> apply_run::drain(apply_worker& w, run_flight& f, ticket t) {
  for (const auto& rb : f.batches) {
    if (auto d = co_await w.finish_replay(rb.statements); !d) {
      fail(t, run_outcome::connection_error, connection_lost(d.error()));
      co_return false;
    }
  }
  f.batches.clear();
  f.next = t;
  co_await w.rollback();
  co_return true;
}

}  // namespace binrelay::applier
