#pragma once
// apply_worker: one downstream connection of the applier and what it caches (table schemas).
// It sends a transaction's batch and checks the answers; it knows nothing of ordering (the
// run coordinator, apply_run.h, decides when it may commit).
//
// Threading: used by one coroutine at a time, on the applier's executor.

#include <optional>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "applier/applier_config.h"
#include "applier/apply_error.h"
#include "applier/relay_transaction.h"
#include "applier/sql_batch.h"
#include "applier/table_schema.h"
#include "protocol/connection.h"

namespace binrelay::applier {

struct apply_worker {
  apply_worker(boost::asio::any_io_executor ex, unsigned worker_id)
      : id(worker_id), conn(ex), turn(ex) {}

  // Connects and sets the session up (sql_mode, time zone, lock wait timeout).
  boost::asio::awaitable<result<void>> connect(const applier_config& config);
  // Reads the schemas of the tables `txn` maps that are not cached yet.
  boost::asio::awaitable<result<void>> load_schemas(const relay_transaction& txn);
  // Sends `batch` as one round trip. nullopt: every statement succeeded and matched its rows.
  // Connection failures are returned as errors.
  boost::asio::awaitable<result<std::optional<apply_error>>> send(const relay_transaction& txn,
                                                                  const sql_batch& batch);
  // Best effort: ROLLBACK (errors ignored: the server rolls back on disconnect too).
  boost::asio::awaitable<void> rollback();

  unsigned id;
  protocol::connection conn;
  schema_cache schemas;
  boost::asio::steady_timer turn;  // woken (cancelled) when commit order may let it go on
  bool busy = false;
};

// SQL that makes the downstream record `txn`'s GTID for the next transaction (MariaDB:
// gtid_domain_id, server_id, gtid_seq_no); empty when it has no MariaDB GTID.
std::string keep_gtid_sql(const relay_transaction& txn);

}  // namespace binrelay::applier
