// apply_run's coordinator (apply_run.h): reads the relay log ahead into a bounded queue,
// starts transactions on idle workers as the scheduler allows, and sleeps until something
// changes: a worker finished or committed, the owner asked it to stop, or the relay log grew.

#include <algorithm>
#include <exception>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "applier/apply_run.h"
#include "applier/binlog_replay.h"
#include "applier/payload_expand.h"
#include "common/base64.h"
#include "common/log.h"

namespace binrelay::applier {
namespace asio = boost::asio;
using asio::awaitable;

result<bool> apply_run::fill_queue() {
  while (queue_.size() < config_.max_queued) {
    auto next = cursor_->next();
    if (!next) return std::move(next).error();
    if (!*next) return true;
    relay_transaction txn(std::move(**next));
    if (already_committed_ > 0 || executed_at_start(txn)) {
      if (already_committed_ > 0) --already_committed_;
      carry_new_file_ = carry_new_file_ || txn.schedule.new_file;
      continue;
    }
    txn.schedule.new_file = std::exchange(carry_new_file_, false) || txn.schedule.new_file;
    if (!control_.skip_gtid.empty() && txn.gtid_text() == control_.skip_gtid) {
      txn.skip = true;
      txn.schedule.exclusive = true;
    }
    if (has_payload(txn)) {
      if (auto r = expand_payload(txn); !r) {
        return make_error(r.error().code, "transaction '{}' at relay log '{}' offset {}: {}",
                          txn.gtid_text(), txn.file, txn.start_offset, r.error().describe());
      }
    }
    mark_replayable(txn);
    scheduler_.add(txn.schedule);
    queue_.push_back(std::move(txn));
  }
  return false;
}

// Replayed with BINLOG statements: row-only transactions of sources of the downstream's
// flavour that fit a batch (a larger one goes as prepared statements, which are cut per row).
void apply_run::mark_replayable(relay_transaction& txn) const {
  txn.replayable = config_.method == apply_method::replay && !txn.skip && txn.has_begin &&
                   base64_length(txn.events.size()) < workers_.front()->max_replay_bytes() &&
                   replayable(txn, flavour());
}

// MySQL: the downstream's gtid_executed when the run began holds it (committed before a crash
// or by an earlier run after the recorded progress).
bool apply_run::executed_at_start(const relay_transaction& txn) const {
  if (flavour() != downstream_flavour::mysql || !keeps_gtid(flavour(), txn)) return false;
  return executed_at_start_.contains(txn.gtid->sid, txn.gtid->tag, txn.gtid->gno);
}

// A run is one replay batch: at most max_replay_batch transactions whose base64 text stays
// under the worker's byte limit (one transaction alone may be up to the limit).
std::size_t apply_run::run_length(ticket t) const {
  if (!queue_[t - queue_base_].replayable || !scheduler_.may_commit(t) || optimistic()) return 0;
  std::size_t n = 1;
  std::size_t bytes = queue_[t - queue_base_].events.size();
  for (ticket next = t + 1; next - queue_base_ < queue_.size() && n < config_.max_replay_batch;
       ++next, ++n) {
    const auto& txn = queue_[next - queue_base_];
    bytes += txn.events.size();
    if (!txn.replayable || base64_length(bytes) >= workers_.front()->max_replay_bytes()) break;
  }
  return n;
}

void apply_run::dispatch() {
  while (end_.outcome == run_outcome::stopped && !control_.stopping && !holdback_) {
    auto t = scheduler_.next_startable();
    if (!t) return;
    auto idle = std::find_if(workers_.begin(), workers_.end(), [](auto& w) { return !w->busy; });
    if (idle == workers_.end()) return;
    std::size_t run = run_length(*t);
    scheduler_.start(*t);
    for (std::size_t i = 1; i < run; ++i) scheduler_.start_in_run(*t + i);
    apply_worker& w = **idle;
    w.busy = true;
    ++busy_;
    if (run > 0) {
      spawn(w, *t, work_run(w, *t, run));
    } else {
      spawn(w, *t, work(w, *t, txn_at(*t)));
    }
  }
}

// A worker's job that throws (a bug, memory) fails the run at its transaction like a
// permanent error: the SQL thread stops with it, nothing else does.
void apply_run::spawn(apply_worker& w, ticket t, awaitable<void> job) {
  asio::co_spawn(ex_, std::move(job), [this, &w, t](std::exception_ptr e) {
    if (!e) return;
    std::string what = describe_exception(e);
    log::error("applier: worker {} failed with an internal error: {}", w.id, what);
    fail(t, run_outcome::sql_error, {er_applier_fatal, "Internal error in worker: " + what});
    if (w.busy) release(w);
  });
}

void apply_run::set_caught_up(bool caught_up) {
  if (caught_up == caught_up_) return;
  caught_up_ = caught_up;
  status_.update([&](applier_snapshot& s) { s.caught_up = caught_up; });
}

// MySQL's coordinator states: caught up, every worker busy, or the next transaction waits for
// one it depends on.
void apply_run::publish_progress() {
  std::string state = "Replica has read all relay log; waiting for more updates";
  if (!queue_.empty()) {
    bool all_busy = busy_ >= workers_.size();
    state = all_busy                      ? "Waiting for replica workers to process their queues"
            : scheduler_.next_startable() ? "Reading event from the relay log"
                                          : "Waiting for dependent transaction to commit";
  }
  std::int64_t pending = queue_.empty() ? 0 : queue_.front().timestamp;
  auto busy = static_cast<std::uint32_t>(busy_);
  if (state == published_state_ && pending == published_pending_ && busy == published_busy_) return;
  published_state_ = state;
  published_pending_ = pending;
  published_busy_ = busy;
  status_.update([&](applier_snapshot& s) {
    s.state = state;
    s.applying_event_unix = pending;
    s.busy_workers = busy;
  });
}

awaitable<void> apply_run::sleep(std::optional<std::uint64_t> log_seen) {
  using namespace asio::experimental::awaitable_operators;
  constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
  wake_.expires_after(std::chrono::hours(24));
  if (!log_seen) {
    co_await wake_.async_wait(use_tuple);
    co_return;
  }
  co_await (wake_.async_wait(use_tuple) || log_.wait_for_more(*log_seen, std::chrono::hours(24)));
}

awaitable<void> apply_run::coordinate(binlog::log_position start) {
  // An exception here must not end the run while workers still use it: it fails the run like a
  // permanent error, and the run waits for its workers as always.
  try {
    co_await read_and_dispatch(std::move(start));
  } catch (const std::exception& e) {
    fail(queue_base_ + queue_.size(), run_outcome::sql_error,
         {er_applier_fatal, std::string("Internal error in the applier: ") + e.what()});
  }
  notify_workers();
  while (busy_ > 0) co_await sleep(std::nullopt);
}

awaitable<void> apply_run::read_and_dispatch(binlog::log_position start) {
  cursor_ = log_.open(start);
  while (end_.outcome == run_outcome::stopped && !control_.stopping) {
    std::uint64_t seen = log_.generation();  // before the cursor looks (relay_log.h)
    auto reached_end = fill_queue();
    if (!reached_end) {
      fail(queue_base_ + queue_.size(), run_outcome::sql_error,
           {er_applier_fatal, "Relay log read failure: " + reached_end.error().describe()});
      break;
    }
    dispatch();
    set_caught_up(queue_.empty());
    publish_progress();
    co_await sleep(*reached_end ? std::optional(seen) : std::nullopt);
  }
}

}  // namespace binrelay::applier
