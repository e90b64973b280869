#include "applier/apply_worker.h"

#include <fmt/format.h>

#include "applier/transaction_sql.h"

namespace binrelay::applier {
namespace asio = boost::asio;
using asio::awaitable;

std::string keep_gtid_sql(const relay_transaction& txn) {
  if (!txn.gtid || !txn.gtid->mariadb) return {};
  const auto& g = txn.gtid->mariadb_gtid;
  return fmt::format("SET SESSION gtid_domain_id={},server_id={},gtid_seq_no={}", g.domain_id,
                     g.server_id, g.seq_no);
}

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
  std::string setup = fmt::format("{};SET SESSION innodb_lock_wait_timeout={}",
                                  session_defaults_sql(), config.lock_wait_timeout_s);
  auto r = co_await conn.query_batch(setup);
  if (!r) co_return r.error();
  if (r->failure) co_return *r->failure;
  co_return result<void>{};
}

awaitable<result<void>> apply_worker::load_schemas(const relay_transaction& txn) {
  auto missing = missing_tables(txn, schemas);
  if (!missing) co_return missing.error();
  for (const auto& [db, table] : *missing) {
    auto r = co_await conn.query_batch(schema_query(db, table));
    if (!r) co_return r.error();
    if (r->failure) co_return *r->failure;
    if (r->results.size() != 2) {
      co_return make_error(errc::protocol_error, "schema query for {}.{} returned {} results", db,
                           table, r->results.size());
    }
    auto s = parse_schema(db, table, r->results[0], r->results[1]);
    if (!s) co_return s.error();
    schemas.add(std::move(*s));
  }
  co_return result<void>{};
}

awaitable<result<std::optional<apply_error>>> apply_worker::send(const relay_transaction& txn,
                                                                 const sql_batch& batch) {
  auto r = co_await conn.query_batch(batch.sql);
  if (!r) co_return r.error();
  std::size_t done = r->results.size();
  if (r->failure) {
    const auto& origin = batch.origins.at(std::min(done, batch.origins.size() - 1));
    co_return statement_failed(id, txn, origin, *r->failure);
  }
  for (std::size_t i = 0; i < done && i < batch.origins.size(); ++i) {
    const auto& origin = batch.origins[i];
    if (r->results[i].ok.affected_rows < origin.expected_rows) {
      co_return row_not_found(id, txn, origin);
    }
  }
  co_return std::optional<apply_error>{};
}

awaitable<void> apply_worker::rollback() {
  if (conn.is_open()) (void)co_await conn.query("ROLLBACK");
}

}  // namespace binrelay::applier
