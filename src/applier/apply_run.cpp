#include "applier/apply_run.h"

#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "applier/binlog_replay.h"
#include "applier/progress.h"
#include "applier/relay_reader.h"
#include "applier/resume_scan.h"
#include "applier/transaction_sql.h"
#include "common/base64.h"
#include "common/log.h"

namespace binrelay::applier {
namespace asio = boost::asio;
using asio::awaitable;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

namespace {

std::string_view method_name(apply_method m) {
  switch (m) {
    case apply_method::replay:
      return "BINLOG statements (replay; prepared statements for what cannot be replayed)";
    case apply_method::prepared:
      return "prepared statements";
    case apply_method::text:
      return "SQL text";
  }
  return "";
}

}  // namespace

apply_run::apply_run(asio::any_io_executor ex, const applier_config& config,
                     const relay::relay_store& store, applier_status& status,
                     run_control& control)
    : ex_(ex),
      config_(config),
      store_(store),
      status_(status),
      control_(control),
      scheduler_(config.parallel == parallel_mode::optimistic),
      wake_(ex) {}

awaitable<run_end> apply_run::run() {
  auto start = co_await prepare();
  if (!start) co_return run_end{run_outcome::connection_error, connection_lost(start.error())};
  log::info("applier: {} worker(s) connected to {}:{}; starting at {}; rows as {}{}",
            workers_.size(),
            config_.host, config_.port,
            start->file.empty()
                ? std::string("the oldest relay log file")
                : fmt::format("relay log '{}' offset {}", start->file, start->offset),
            method_name(config_.method),
            optimistic() ? "; optimistic parallel mode" : "");
  co_await coordinate(*start);
  for (auto& w : workers_) w->conn.close();
  if (undone_ > 0) {
    log::info("applier: {} transaction(s) rolled back and run again after optimistic conflicts",
              undone_);
  }
  co_return end_;
}

awaitable<result<relay::log_position>> apply_run::prepare() {
  for (unsigned i = 0; i < std::max(1u, config_.workers); ++i) {
    workers_.push_back(std::make_unique<apply_worker>(ex_, i + 1));
    if (auto r = co_await workers_.back()->connect(config_); !r) co_return r.error();
  }
  auto& conn = workers_.front()->conn;
  if (auto w = co_await wait_for_other_sessions(); !w) co_return w.error();
  std::string sql = fmt::format(
      "SET SESSION sql_log_bin=0;{};SET SESSION sql_log_bin=1;{};"
      "SELECT @@global.gtid_binlog_pos,@@global.gtid_binlog_state,"
      "@@global.log_bin;COMMIT",
      create_progress_sql(), resume_position_sql());
  auto r = co_await conn.query_batch(sql);
  if (!r) co_return r.error();
  if (r->failure) co_return *r->failure;
  if (r->results.size() != 7) {
    co_return make_error(errc::protocol_error, "progress query returned {} results",
                         r->results.size());
  }
  auto pos = parse_resume_position(r->results[4]);
  if (!pos) co_return pos.error();
  const auto& vars = r->results[5].rows;
  if (vars.size() != 1 || vars[0].size() != 3) {
    co_return make_error(errc::protocol_error, "unexpected answer to the GTID state query");
  }
  auto text = [&](std::size_t i) { return vars[0][i] ? *vars[0][i] : std::string(); };
  auto executed = gtid::mariadb_gtid_position::parse(text(0));
  status_.update([&](applier_snapshot& s) {
    s.configured = true;
    s.running = true;
    if (executed && !executed->empty()) s.executed = {true, {}, *executed};
  });
  relay::log_position start = pos->value_or(relay::log_position{});
  sparse_progress_ = text(2) == "1";
  if (sparse_progress_) {
    if (auto f = find_committed(start, text(1)); !f) co_return f.error();
  }
  co_return start;
}

// Sessions of an earlier run with more workers than this one hold higher-numbered locks: wait
// for them too (each worker waited for its own number when it connected).
awaitable<result<void>> apply_run::wait_for_other_sessions() {
  std::string sql = "DO 0";
  for (unsigned i = static_cast<unsigned>(workers_.size()) + 1; i <= applier_config::max_workers;
       ++i) {
    fmt::format_to(std::back_inserter(sql), ",GET_LOCK('{0}',{1}),RELEASE_LOCK('{0}')",
                   worker_lock_name(i), config_.previous_session_wait_s);
  }
  auto r = co_await workers_.front()->conn.query(sql);
  if (!r) co_return r.error();
  co_return result<void>{};
}

result<void> apply_run::find_committed(const relay::log_position& start,
                                       std::string_view binlog_state) {
  auto state = parse_binlog_state(binlog_state);
  if (!state) return std::move(state).error();
  std::size_t window = std::max<std::size_t>(1024, 2 * config_.max_replay_batch);
  auto found = committed_after(store_, start, *state, window);
  if (!found) return std::move(found).error();
  already_committed_ = found->transactions;
  if (already_committed_ > 0) {
    log::info(
        "applier: {} transaction(s) after the recorded progress were already applied on "
        "the downstream (in its gtid_binlog_state), up to '{}'; resuming after it",
        already_committed_, found->last_gtid);
  }
  return {};
}

result<void> apply_run::fill_queue(relay_reader& reader) {
  while (queue_.size() < config_.max_queued) {
    auto txn = reader.next();
    if (!txn) return std::move(txn).error();
    if (!*txn) break;
    if (already_committed_ > 0) {
      --already_committed_;
      carry_new_file_ = carry_new_file_ || (*txn)->schedule.new_file;
      continue;
    }
    (*txn)->schedule.new_file = std::exchange(carry_new_file_, false) || (*txn)->schedule.new_file;
    if (!control_.skip_gtid.empty() && (*txn)->gtid_text() == control_.skip_gtid) {
      (*txn)->skip = true;
      (*txn)->schedule.exclusive = true;
    }
    mark_replayable(**txn);
    scheduler_.add((*txn)->schedule);
    queue_.push_back(std::move(**txn));
  }
  return {};
}

// Replayed with BINLOG statements: row-only transactions of MariaDB sources that fit a batch
// (a larger one goes as prepared statements, which are cut per row).
void apply_run::mark_replayable(relay_transaction& txn) const {
  txn.replayable = config_.method == apply_method::replay && !txn.skip && txn.has_begin &&
                   base64_length(txn.events.size()) < workers_.front()->max_replay_bytes() &&
                   replayable(txn);
}

// A run is at most one batch (max_replay_batch, the byte limit): runs of several batches,
// with two in flight (apply_replay_run.cpp), measured 27x slower; docs/applier.md, "Replay".
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
  auto on_error = [](std::exception_ptr e) {
    if (e) std::rethrow_exception(e);
  };
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
      asio::co_spawn(ex_, work_run(w, *t, run), on_error);
    } else {
      asio::co_spawn(ex_, work(w, *t, txn_at(*t)), on_error);
    }
  }
}

awaitable<void> apply_run::coordinate(relay::log_position start) {
  relay_reader reader(store_, std::move(start));
  bool caught_up = false;
  while (end_.outcome == run_outcome::stopped && !control_.stopping) {
    if (auto r = fill_queue(reader); !r) {
      fail(queue_base_ + queue_.size(), run_outcome::sql_error,
           {er_applier_fatal, "Relay log read failure: " + r.error().describe(), false});
      break;
    }
    dispatch();
    bool idle = queue_.empty();
    if (idle != caught_up) {
      caught_up = idle;
      status_.update([&](applier_snapshot& s) {
        s.caught_up = idle;
        s.state = idle ? "Replica has read all relay log; waiting for more updates"
                       : "Applying relay log";
      });
    }
    wake_.expires_after(config_.poll_interval);
    co_await wake_.async_wait(use_tuple);
  }
  notify_workers();
  while (busy_ > 0) {
    wake_.expires_after(std::chrono::milliseconds(50));
    co_await wake_.async_wait(use_tuple);
  }
}

void apply_run::notify_workers() {
  for (auto& w : workers_) w->turn.cancel();
}

void apply_run::fail(ticket t, run_outcome outcome, apply_error e) {
  if (end_.outcome != run_outcome::stopped && failed_ <= t) return;
  failed_ = t;
  end_ = {outcome, std::move(e)};
  notify_workers();
  wake();
}

}  // namespace binrelay::applier
