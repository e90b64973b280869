// apply_run: a run of replayable transactions on one worker (docs/applier.md, "Replay"):
// consecutive transactions started together when nothing earlier was in flight, sent as one
// batch of SET gtid_seq_no;BINLOG '...';COMMIT statements (replay_batch.h) in one round trip.
// The server stops at the first failing statement: the transactions before it committed, the
// failing one is rolled back and applied alone (apply_with_retries), and the rest of the run
// goes as a new batch.

#include "applier/apply_run.h"

namespace binrelay::applier {
using boost::asio::awaitable;

awaitable<void> apply_run::work_run(apply_worker& w, ticket first, std::size_t count) {
  const ticket end = first + count;
  ticket t = first;  // the run's oldest uncommitted transaction
  while (t < end && !aborted(t) && !control_.stopping) {
    replay_batch batch;
    for (ticket i = t; i < end; ++i) {
      bool progress = !sparse_progress_ || i + 1 == end || !keeps_gtid(w.flavour, txn_at(i));
      w.append_replay(batch, txn_at(i), true, progress);
    }
    auto done = co_await w.send_replay(batch);
    if (!done) {
      fail_on(t, done.error());
      break;
    }
    for (std::uint32_t k = 0; k < done->committed; ++k, ++t) on_committed(t, txn_at(t), false);
    if (!done->failed) break;
    co_await w.rollback();
    if (!co_await apply_with_retries(w, t, txn_at(t))) break;
    ++t;
  }
  release(w);
}

}  // namespace binrelay::applier
