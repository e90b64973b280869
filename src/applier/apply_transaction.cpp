// apply_run: how one worker applies one transaction (apply_run.h).
//   (runs of replayed transactions: apply_replay_run.cpp)
//   replayed      [SET gtid];BEGIN;BINLOG '...';<progress>[;COMMIT]: COMMIT included when
//                 every earlier transaction has committed, else sent alone in its turn; a
//                 failing BINLOG is replayed again one statement group at a time to name the
//                 failing event (apply_worker::diagnose_replay)
//   transaction   [SET gtid];BEGIN;<statements>;<progress>[;COMMIT]   one round trip (rows as
//                 pipelined prepared statements, apply_worker.h), COMMIT included when every
//                 earlier transaction has committed already, the batch is one text statement
//                 list (the server stops at its first error) and no statement's matched rows
//                 must be checked first; else the worker checks, waits for its turn and sends
//                 COMMIT alone
//   exclusive     [SET gtid];<statement>;COMMIT;[SET GTID_NEXT='AUTOMATIC' (MySQL);]
//                 SET sql_log_bin=0;<progress>;COMMIT;SET sql_log_bin=1   (autocommit=0)
//   skipped       [SET gtid];BEGIN;<progress>;COMMIT   (the operator's empty transaction)
// Deadlocks and lock wait timeouts roll back and retry; a server or session that went away ends
// the run for a reconnect; other errors fail the run and stop the SQL thread (in optimistic
// mode conflicts are settled first: apply_optimistic.cpp). Commit order: apply_commit_order.cpp.

#include <algorithm>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "applier/apply_run.h"
#include "applier/progress.h"
#include "applier/transaction_sql.h"
#include "common/log.h"

namespace binrelay::applier {
namespace asio = boost::asio;
using asio::awaitable;

result<sql_batch> apply_run::make_batch(apply_worker& w, const relay_transaction& txn, bool* ddl) {
  sql_batch b;
  if (auto g = keep_gtid_sql(w.flavour, txn); !g.empty()) b.add(g);
  bool wrap = txn.has_begin || txn.skip;
  if (wrap) b.add("BEGIN");
  if (!txn.skip) {
    rows_form form = config_.method == apply_method::text ? rows_form::text : rows_form::prepared;
    if (auto r = build_transaction_sql(txn, w.schemas, b, ddl, form); !r) {
      return std::move(r).error();
    }
  }
  if (wrap && config_.method != apply_method::text) {
    b.add_prepared(std::string(record_progress_statement()), record_progress_params(w.id, txn), {});
  } else if (wrap) {
    b.add(record_progress_sql(w.id, txn));
  } else {
    b.add("COMMIT");
    // MySQL refuses any statement after a GTID_NEXT transaction until GTID_NEXT changes.
    if (w.flavour == downstream_flavour::mysql) b.add("SET GTID_NEXT='AUTOMATIC'");
    b.add("SET SESSION sql_log_bin=0");
    b.add(record_progress_sql(w.id, txn));
    b.add("COMMIT");
    b.add("SET SESSION sql_log_bin=1");
  }
  return b;
}

awaitable<result<std::optional<apply_error>>> apply_run::apply_once(apply_worker& w, ticket t,
                                                                    relay_transaction& txn) {
  using outcome = std::optional<apply_error>;
  if (txn.replayable) co_return co_await replay_once(w, t, txn);
  if (!txn.skip) {
    if (auto r = co_await w.load_schemas(txn); !r) {
      if (r.error().code != errc::server_error && r.error().code != errc::not_found)
        co_return r.error();
      co_return outcome(cannot_apply(w.id, txn, r.error()));
    }
  }
  bool ddl = false;
  auto batch = make_batch(w, txn, &ddl);
  if (!batch) co_return outcome(cannot_apply(w.id, txn, batch.error()));
  bool wrap = txn.has_begin || txn.skip;
  // COMMIT may join the batch only when no statement's row count must be checked first and
  // no pipelined command could run after a failing one.
  bool pipelined = std::any_of(batch->statements.begin(), batch->statements.end(),
                               [](const batch_statement& s) { return s.prepared; });
  bool commit_now = scheduler_.may_commit(t) && !batch->checks_rows() && !pipelined;
  if (wrap && commit_now) batch->add("COMMIT");
  auto sent = co_await w.send(txn, *batch);
  if (!sent || *sent) co_return sent;
  if (wrap && !commit_now) co_return co_await commit_in_turn(w, t, txn, ddl);
  on_committed(t, txn, ddl);
  co_return outcome{};
}

awaitable<result<std::optional<apply_error>>> apply_run::replay_once(apply_worker& w, ticket t,
                                                                     relay_transaction& txn) {
  using outcome = std::optional<apply_error>;
  bool commit_now = scheduler_.may_commit(t);
  replay_batch b;
  w.append_replay(b, txn, commit_now, true);
  auto sent = co_await w.send_replay(b);
  if (!sent) co_return sent.error();
  if (sent->failed) {
    const auto& e = *sent->error;
    bool retryable = e.server_errno == er_lock_deadlock || e.server_errno == er_lock_wait_timeout;
    bool speculative = optimistic() && !scheduler_.may_commit(t);  // no need to name the event
    if (sent->failed->part != replay_part::rows || retryable || speculative) {
      co_return outcome(statement_failed(w.id, txn, {}, e));
    }
    co_await w.rollback();
    auto diagnosed = co_await w.diagnose_replay(txn, e);
    if (!diagnosed) co_return diagnosed.error();
    co_return outcome(std::move(*diagnosed));
  }
  if (!commit_now) co_return co_await commit_in_turn(w, t, txn, false);
  on_committed(t, txn, false);
  co_return outcome{};
}

awaitable<bool> apply_run::apply_with_retries(apply_worker& w, ticket t, relay_transaction& txn) {
  for (unsigned attempt = 0;;) {
    bool was_head = scheduler_.may_commit(t);
    auto r = co_await apply_once(w, t, txn);
    if (r && !*r) {
      if (auto restored = co_await restore_lock_waits(w); !restored) r = restored.error();
    }
    if (!r) {
      fail_on(t, r.error());
      co_return false;
    }
    if (!*r) co_return !aborted(t);
    co_await w.rollback();
    if (optimistic()) {
      auto step = co_await settle_conflict(w, t, **r, was_head);
      if (step == conflict_step::aborted) co_return false;
      if (step == conflict_step::retry) continue;
    }
    if (is_transient_errno((*r)->code) && !(*r)->retryable) {
      fail(t, run_outcome::connection_error, std::move(**r));  // the server or session went away
      co_return false;
    }
    if ((*r)->retryable && attempt++ < config_.max_retries && !aborted(t)) {
      log::warn("applier: retrying transaction '{}' (attempt {}): {}", txn.gtid_text(), attempt + 1,
                (*r)->text);
      continue;
    }
    fail(t, run_outcome::sql_error, std::move(**r));
    co_return false;
  }
}

awaitable<void> apply_run::work(apply_worker& w, ticket t, relay_transaction& txn) {
  co_await apply_with_retries(w, t, txn);
  release(w);
}

}  // namespace binrelay::applier
