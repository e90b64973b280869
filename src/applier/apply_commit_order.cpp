// apply_run's commit order (apply_run.h): a transaction commits only when every earlier one
// has; each commit wakes the workers waiting for their turn and the coordinator. The first
// failure ends the run: transactions after it roll back instead of committing.

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "applier/apply_run.h"
#include "common/log.h"

namespace binrelay::applier {
namespace asio = boost::asio;
using asio::awaitable;

awaitable<apply_run::turn> apply_run::wait_for_turn(apply_worker& w, ticket t) {
  while (!scheduler_.may_commit(t)) {
    if (aborted(t)) co_return turn::aborted;
    if (undoing(t)) co_return turn::undone;
    w.turn.expires_after(std::chrono::hours(1));
    co_await w.turn.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  co_return aborted(t) ? turn::aborted : turn::go;
}

// Waits until every earlier transaction committed, then commits t (its statements ran).
awaitable<result<std::optional<apply_error>>> apply_run::commit_in_turn(apply_worker& w, ticket t,
                                                                        relay_transaction& txn,
                                                                        bool ddl) {
  using outcome = std::optional<apply_error>;
  scheduler_.executed(t);
  wake();
  switch (co_await wait_for_turn(w, t)) {
    case turn::go:
      break;
    case turn::aborted:
      co_await w.rollback();
      co_return outcome{};
    case turn::undone:
      co_return outcome(apply_error{0, {}, false, true});
  }
  auto c = co_await w.conn.query("COMMIT");
  if (!c) {
    if (c.error().code != errc::server_error) co_return c.error();
    co_return outcome(statement_failed(w.id, txn, {}, c.error()));
  }
  on_committed(t, txn, ddl);
  co_return outcome{};
}

void apply_run::release(apply_worker& w) {
  w.busy = false;
  --busy_;
  wake();
}

void apply_run::on_committed(ticket t, const relay_transaction& txn, bool ddl) {
  status_.update([&](applier_snapshot& s) {
    s.relay_log_file = txn.file;
    s.relay_log_pos = txn.end_offset;
    if (txn.gtid && keeps_gtid(flavour(), txn)) {
      // A downstream with an empty gtid_binlog_pos left the state without a flavour.
      if (txn.gtid->mariadb) s.executed.mariadb = true;
      binlog::add_gtid(s.executed, *txn.gtid);
    }
    s.last_applied_event_unix = txn.timestamp;
    ++s.transactions_committed;
  });
  if (txn.skip) {
    log::info("applier: skipped transaction '{}' (recorded as an empty transaction)",
              txn.gtid_text());
    control_.skip_gtid.clear();
  }
  if (ddl) {
    for (auto& w : workers_) w->schemas.clear();
  }
  scheduler_.committed(t);
  if (holdback_ == t) holdback_.reset();
  queue_.pop_front();
  ++queue_base_;
  notify_workers();
  wake();
}

void apply_run::notify_workers() {
  for (auto& w : workers_) w->turn.cancel();
}

void apply_run::fail(ticket t, run_outcome outcome, apply_error e) {
  if (end_.outcome != run_outcome::stopped && failed_ <= t) return;
  failed_ = t;
  end_ = {outcome, std::move(e), end_.connected};
  notify_workers();
  wake();
}

void apply_run::fail_on(ticket t, const binrelay::error& e) {
  auto outcome = is_transient(e) ? run_outcome::connection_error : run_outcome::sql_error;
  fail(t, outcome, downstream_failed(e, "applying transaction '" + txn_at(t).gtid_text() + "'"));
}

}  // namespace binrelay::applier
