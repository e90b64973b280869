#include "applier/apply_worker.h"

#include <algorithm>

#include <fmt/format.h>

#include "applier/transaction_sql.h"

namespace binrelay::applier {
namespace asio = boost::asio;
using asio::awaitable;

awaitable<result<void>> apply_worker::connect(const applier_config& config) {
  protocol::connection_options o;
  o.host = config.host;
  o.port = config.port;
  o.user = config.user;
  o.password = config.password;
  o.tls.mode = config.tls;
  o.multi_statements = true;
  o.found_rows = true;
  o.read_timeout = std::chrono::hours(24);  // a statement may wait for locks or run long DDL
  if (auto r = co_await conn.connect_and_authenticate(o); !r) co_return r;
  flavour = flavour_of_version(conn.greeting().server_version);
  // Optimistic sessions never wait for a row lock; only MariaDB accepts 0.
  bool optimistic = effective_parallel_mode(flavour, config.parallel) == parallel_mode::optimistic;
  std::string setup =
      fmt::format("{};{};SELECT @@global.max_allowed_packet", session_defaults_sql(),
                  session_setup_sql(flavour, optimistic ? 0 : config.lock_wait_timeout_s));
  auto r = co_await conn.query_batch(setup);
  if (!r) co_return r.error();
  if (r->failure) co_return *r->failure;
  const auto& rows = r->results.back().rows;
  if (!rows.empty() && rows[0].size() == 1 && rows[0][0]) {
    std::size_t packet = std::stoull(*rows[0][0]);
    // Room for the statements around the row events and the packet header.
    max_replay_bytes_ = std::min<std::size_t>(
        packet > (64 << 10) ? packet - (64 << 10) : packet / 2, config.max_replay_batch_bytes);
  }
  co_return co_await take_worker_lock(config);
}

std::string worker_lock_name(unsigned worker) {
  return fmt::format("binrelay_applier_{}", worker);
}

// A session of an earlier binrelayd (killed, or cut off from the downstream) may still be
// executing what it sent: the server runs a multi-statement batch, and a batch already in its
// socket buffer, to the end even when the client is gone. Each worker session holds its
// lock until it ends, so taking it waits for that session to finish.
awaitable<result<void>> apply_worker::take_worker_lock(const applier_config& config) {
  auto r = co_await conn.query(fmt::format("SELECT GET_LOCK('{}',{})", worker_lock_name(id),
                                           config.previous_session_wait_s));
  if (!r) co_return r.error();
  if (r->rows.size() != 1 || r->rows[0].size() != 1 || r->rows[0][0] != std::string("1")) {
    co_return make_error(errc::timed_out,
                         "worker {}: an earlier applier session still holds the user lock '{}' on "
                         "the downstream after {} s",
                         id, worker_lock_name(id), config.previous_session_wait_s);
  }
  co_return result<void>{};
}

awaitable<result<void>> apply_worker::load_schemas(const relay_transaction& txn) {
  auto missing = missing_tables(txn, schemas);
  if (!missing) co_return missing.error();
  for (const auto& [db, table] : *missing) {
    auto r = co_await conn.query_batch(schema_query(db, table) + ";COMMIT");
    if (!r) co_return r.error();
    if (r->failure) co_return *r->failure;
    if (r->results.size() != 3) {
      co_return make_error(errc::protocol_error, "schema query for {}.{} returned {} results", db,
                           table, r->results.size());
    }
    auto s = parse_schema(db, table, r->results[0], r->results[1]);
    if (!s) co_return s.error();
    schemas.add(std::move(*s));
  }
  co_return result<void>{};
}

awaitable<result<void>> apply_worker::close_statements() {
  for (const auto& [sql, statement_id] : statements) {
    if (auto r = co_await conn.close_statement(statement_id); !r) co_return r;
  }
  statements.clear();
  statements_stale = false;
  co_return result<void>{};
}

awaitable<result<std::optional<apply_error>>> apply_worker::prepare_missing(
    const relay_transaction& txn, const sql_batch& batch) {
  std::vector<const batch_statement*> missing;
  for (const auto& s : batch.statements) {
    if (!s.prepared || statements.contains(s.sql)) continue;
    auto same = [&](const batch_statement* m) { return m->sql == s.sql; };
    if (std::none_of(missing.begin(), missing.end(), same)) missing.push_back(&s);
  }
  if (statements_stale || statements.size() + missing.size() > max_statements) {
    if (auto r = co_await close_statements(); !r) co_return r.error();
  }
  for (const auto* s : missing) {
    auto p = co_await conn.prepare(s->sql);
    if (!p) {
      if (p.error().code != errc::server_error) co_return p.error();
      co_return statement_failed(id, txn, s->origin, p.error());
    }
    statements.emplace(s->sql, p->statement_id);
  }
  co_return std::optional<apply_error>{};
}

awaitable<result<std::optional<apply_error>>> apply_worker::send_some(const relay_transaction& txn,
                                                                      const sql_batch& batch,
                                                                      std::size_t& next) {
  const auto& all = batch.statements;
  std::vector<std::vector<std::uint8_t>> commands;
  std::vector<std::size_t> firsts;
  while (next < all.size() && commands.size() < max_pipelined) {
    firsts.push_back(next);
    if (all[next].prepared) {
      commands.push_back(
          protocol::build_com_stmt_execute(statements.at(all[next].sql), all[next].params));
      ++next;
      continue;
    }
    std::string sql = all[next++].sql;
    for (; next < all.size() && !all[next].prepared; ++next) (sql += ';') += all[next].sql;
    commands.push_back(protocol::build_com_query(sql));
  }
  auto r = co_await conn.pipeline(commands);
  if (!r) co_return r.error();
  for (std::size_t k = 0; k < r->size(); ++k) {
    const auto& answer = (*r)[k];
    for (std::size_t i = 0; i < answer.results.size(); ++i) {
      const auto& origin = all.at(std::min(firsts[k] + i, all.size() - 1)).origin;
      if (answer.results[i].ok.affected_rows < origin.expected_rows) {
        co_return row_not_found(id, txn, origin);
      }
    }
    if (answer.failure) {
      const auto& origin =
          all.at(std::min(firsts[k] + answer.results.size(), all.size() - 1)).origin;
      co_return statement_failed(id, txn, origin, *answer.failure);
    }
  }
  co_return std::optional<apply_error>{};
}

awaitable<result<std::optional<apply_error>>> apply_worker::send(const relay_transaction& txn,
                                                                 const sql_batch& batch) {
  gtid_session_.known = false;  // keep_gtid_sql() sets domain and server_id
  auto prepared = co_await prepare_missing(txn, batch);
  if (!prepared || *prepared) co_return prepared;
  std::size_t next = 0;
  while (next < batch.statements.size()) {
    auto r = co_await send_some(txn, batch, next);
    if (!r || *r) co_return r;
  }
  co_return std::optional<apply_error>{};
}

void apply_worker::append_replay(replay_batch& b, const relay_transaction& txn, bool commit,
                                 bool progress, replay_split split) {
  replay_options o;
  o.worker = id;
  o.commit = commit;
  o.progress = progress;
  o.split = split;
  o.flavour = flavour;
  o.send_format = replay_format_ != txn.format_event;
  o.max_statement_bytes = std::min<std::size_t>(o.max_statement_bytes, max_replay_bytes_);
  replay_format_ = txn.format_event;
  b.append(txn, encoder_, o, gtid_session_);
}

awaitable<result<replay_outcome>> apply_worker::send_replay(const replay_batch& b) {
  if (auto s = co_await conn.send_query(b.sql); !s) co_return s.error();
  auto r = co_await conn.read_batch_answer(b.steps.size());
  if (!r) co_return r.error();
  auto o = interpret(b, *r);
  if (o.failed) {
    // The session may hold neither the FDE nor the GTID origin the batch set.
    replay_format_.reset();
    gtid_session_.known = false;
  }
  co_return o;
}

awaitable<result<apply_error>> apply_worker::diagnose_replay(const relay_transaction& txn,
                                                             const binrelay::error& e) {
  auto origins = group_origins(txn, e.message);
  if (!origins) co_return cannot_apply(id, txn, origins.error());
  replay_batch b;
  append_replay(b, txn, false, false, replay_split::by_group);
  auto sent = co_await send_replay(b);
  if (!sent) co_return sent.error();
  const auto& again = sent->error ? *sent->error : e;
  std::size_t group = 0;
  if (sent->failed && sent->failed->part == replay_part::rows) group = sent->failed->group;
  statement_origin origin = group < origins->size() ? (*origins)[group] : statement_origin{};
  co_return statement_failed(id, txn, origin, again);
}

awaitable<void> apply_worker::rollback() {
  if (!conn.is_open()) co_return;
  (void)co_await conn.query("ROLLBACK");
  // MySQL keeps the rolled-back GTID as GTID_NEXT and refuses to run it again until GTID_NEXT
  // changed (ER_GTID_NEXT_TYPE_UNDEFINED_GTID, 1837).
  if (flavour == downstream_flavour::mysql) (void)co_await conn.query("SET GTID_NEXT='AUTOMATIC'");
}

}  // namespace binrelay::applier
