#include "applier/apply_run.h"

#include <utility>

#include <boost/asio/co_spawn.hpp>

#include "applier/binlog_replay.h"
#include "applier/progress.h"
#include "applier/resume_scan.h"
#include "applier/transaction_sql.h"
#include "common/base64.h"
#include "common/log.h"

namespace binrelay::applier {
namespace asio = boost::asio;
using asio::awaitable;

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

apply_run::apply_run(asio::any_io_executor ex, const applier_config& config, const relay_log& log,
                     applier_status& status, run_control& control)
    : ex_(ex), config_(config), log_(log), status_(status), control_(control), wake_(ex) {}

awaitable<run_end> apply_run::run() {
  auto start = co_await prepare();
  if (!start) {
    fail_to_start(start.error());
    for (auto& w : workers_) w->conn.close();
    co_return end_;
  }
  end_.connected = true;
  status_.update([](applier_snapshot& s) {  // the SQL thread runs again: its error is over
    s.last_sql_errno = 0;
    s.last_sql_error.clear();
    s.last_sql_error_unix = 0;
  });
  log::info("applier: {} worker(s) connected to {}:{} ({} {}); starting at {}; rows as {}{}",
            workers_.size(), config_.host, config_.port, flavour_name(flavour()),
            workers_.front()->conn.greeting().server_version,
            start->file.empty()
                ? std::string("the oldest relay log file")
                : fmt::format("relay log '{}' offset {}", start->file, start->offset),
            method_name(config_.method),
            optimistic() ? "; optimistic parallel mode" : "; conservative parallel mode");
  co_await coordinate(*start);
  for (auto& w : workers_) w->conn.close();
  if (undone_ > 0) {
    log::info("applier: {} transaction(s) rolled back and run again after optimistic conflicts",
              undone_);
  }
  co_return end_;
}

awaitable<result<binlog::log_position>> apply_run::prepare() {
  for (unsigned i = 0; i < std::max(1u, config_.workers); ++i) {
    workers_.push_back(std::make_unique<apply_worker>(ex_, i + 1));
    if (auto r = co_await workers_.back()->connect(config_); !r) co_return r.error();
  }
  choose_parallel_mode();
  auto& conn = workers_.front()->conn;
  if (auto w = co_await wait_for_other_sessions(); !w) co_return w.error();
  bool mysql = flavour() == downstream_flavour::mysql;
  std::string sql = fmt::format(
      "SET SESSION sql_log_bin=0;{};SET SESSION sql_log_bin=1;{};{};COMMIT", create_progress_sql(),
      resume_position_sql(),
      mysql ? "SELECT @@global.gtid_executed,'',1"
            : "SELECT @@global.gtid_binlog_pos,@@global.gtid_binlog_state,@@global.log_bin");
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
  binlog::log_position start = pos->value_or(binlog::log_position{});
  sparse_progress_ = text(2) == "1";
  if (mysql) {
    if (auto e = note_executed_gtids(text(0)); !e) co_return e.error();
    co_return start;
  }
  auto executed = gtid::mariadb_gtid_position::parse(text(0));
  status_.update([&](applier_snapshot& s) {
    s.configured = true;
    s.running = true;
    if (executed && !executed->empty()) s.executed = {true, {}, *executed};
  });
  if (sparse_progress_) {
    if (auto f = find_committed(start, text(1)); !f) co_return f.error();
  }
  co_return start;
}

void apply_run::choose_parallel_mode() {
  auto mode = effective_parallel_mode(flavour(), config_.parallel);
  optimistic_ = mode == parallel_mode::optimistic;
  scheduler_ = scheduler(optimistic_);
  if (mode == config_.parallel || control_.mode_fallback_logged) return;
  control_.mode_fallback_logged = true;
  log::warn(
      "applier: --apply-parallel-mode=optimistic is not available on a {} downstream (its "
      "innodb_lock_wait_timeout cannot be 0, so every conflict would wait a second): applying "
      "in conservative mode, in parallel where the primary's LOGICAL_CLOCK marks transactions "
      "independent",
      flavour_name(flavour()));
}

// MySQL: the downstream's gtid_executed is the truth of what committed (it is kept in the same
// transaction as the data); fill_queue() passes over what it holds.
result<void> apply_run::note_executed_gtids(std::string_view gtid_executed) {
  auto set = gtid::gtid_set::parse(gtid_executed);
  if (!set) {
    return make_error(errc::protocol_error, "the downstream's @@gtid_executed '{}': {}",
                      gtid_executed, set.error().describe());
  }
  executed_at_start_ = std::move(*set);
  status_.update([&](applier_snapshot& s) {
    s.configured = true;
    s.running = true;
    s.executed = {false, executed_at_start_, {}};
  });
  return {};
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

result<void> apply_run::find_committed(const binlog::log_position& start,
                                       std::string_view binlog_state) {
  auto state = parse_binlog_state(binlog_state);
  if (!state) return std::move(state).error();
  std::size_t window = std::max<std::size_t>(1024, 2 * config_.max_replay_batch);
  auto found = committed_after(log_, start, *state, window);
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

// Connecting, the session set-up and the progress queries: a server's refusal keeps its own
// words; only transient errors make the owner reconnect.
void apply_run::fail_to_start(const binrelay::error& e) {
  std::string doing = fmt::format("connecting to {}:{} as '{}' and reading the applied progress",
                                  config_.host, config_.port, config_.user);
  auto outcome = is_transient(e) ? run_outcome::connection_error : run_outcome::sql_error;
  end_ = {outcome, downstream_failed(e, doing), false};
}

}  // namespace binrelay::applier
