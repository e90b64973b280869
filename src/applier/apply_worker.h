#pragma once
// apply_worker: one downstream connection of the applier and what it caches (table schemas).
// It sends a transaction's batch and checks the answers; it knows nothing of ordering (the
// run coordinator, apply_run.h, decides when it may commit).
//
// Threading: used by one coroutine at a time, on the applier's executor.

#include <optional>
#include <string>
#include <unordered_map>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "applier/applier_config.h"
#include "applier/apply_error.h"
#include "applier/binlog_replay.h"
#include "applier/downstream_flavour.h"
#include "applier/relay_transaction.h"
#include "applier/replay_batch.h"
#include "applier/sql_batch.h"
#include "applier/table_schema.h"
#include "protocol/connection.h"

namespace binrelay::applier {

struct apply_worker {
  apply_worker(boost::asio::any_io_executor ex, unsigned worker_id)
      : id(worker_id), conn(ex), turn(ex) {}

  // Connects, tells the flavour from the greeting and sets the session up for it (sql_mode,
  // time zone, lock wait timeout: downstream_flavour.h), then takes the
  // user lock of its worker number (worker_lock_name()), waiting for an earlier binrelayd
  // session with that number to end.
  boost::asio::awaitable<result<void>> connect(const applier_config& config);
  // Reads the schemas of the tables `txn` maps that are not cached yet.
  boost::asio::awaitable<result<void>> load_schemas(const relay_transaction& txn);
  // Sends `batch`: prepares the statements it needs that are not cached yet, then sends
  // every statement pipelined (consecutive text statements as one multi-statement COM_QUERY,
  // each prepared statement as one COM_STMT_EXECUTE), up to max_pipelined commands per round
  // trip, and checks every answer in order. Commands after a failing one may still have run:
  // the caller must roll back on failure (the session runs with autocommit=0, so nothing
  // after a failure commits by itself). nullopt: every statement succeeded and matched its
  // rows. Connection failures are returned as errors.
  boost::asio::awaitable<result<std::optional<apply_error>>> send(const relay_transaction& txn,
                                                                  const sql_batch& batch);
  // Best effort: ROLLBACK, and on MySQL GTID_NEXT back to AUTOMATIC (errors ignored: the
  // server rolls back on disconnect too).
  boost::asio::awaitable<void> rollback();

  // Appends txn to a replay batch (replay_batch.h), preceded by its relay file's FDE when
  // this session has not replayed that format yet. REQUIRES: txn.replayable.
  void append_replay(replay_batch& b, const relay_transaction& txn, bool commit, bool progress,
                     replay_split split = replay_split::by_size);
  // Runs a replay batch in one round trip. After a failure the caller rolls back.
  boost::asio::awaitable<result<replay_outcome>> send_replay(const replay_batch& b);
  // After `txn` failed in a BINLOG statement with `e` (and was rolled back): replays its
  // statement groups one BINLOG each, without committing, to tell which event fails, and
  // returns the error in MySQL's words. The caller rolls back again.
  boost::asio::awaitable<result<apply_error>> diagnose_replay(const relay_transaction& txn,
                                                              const binrelay::error& e);
  // The most a replay batch may hold (below the downstream's max_allowed_packet).
  std::size_t max_replay_bytes() const { return max_replay_bytes_; }

  static constexpr std::size_t max_pipelined = 256;
  static constexpr std::size_t max_statements = 1000;  // prepared statements kept per worker

  unsigned id;
  protocol::connection conn;
  downstream_flavour flavour = downstream_flavour::mariadb;  // from the greeting, at connect
  schema_cache schemas;
  std::unordered_map<std::string, std::uint32_t> statements;  // prepared: text -> id
  bool statements_stale = false;   // set after DDL: close them before the next send
  boost::asio::steady_timer turn;  // woken (cancelled) when commit order may let it go on
  bool busy = false;
  // Optimistic mode: the session waits for row locks (innodb_lock_wait_timeout) instead of
  // failing at once, while its transaction retries as the oldest one.
  bool lock_waits = false;

 private:
  boost::asio::awaitable<result<void>> take_worker_lock(const applier_config& config);

  replay_encoder encoder_;
  // The FDE this session replayed last (BINLOG statements decode in its context).
  std::shared_ptr<const std::vector<std::uint8_t>> replay_format_;
  gtid_session gtid_session_;  // what the replay statements set (the SQL paths reset it)
  std::size_t max_replay_bytes_ = 4 << 20;

  boost::asio::awaitable<result<std::optional<apply_error>>> prepare_missing(
      const relay_transaction& txn, const sql_batch& batch);
  boost::asio::awaitable<result<void>> close_statements();
  // Sends statements [first, ...) as at most max_pipelined commands; returns where it stopped.
  boost::asio::awaitable<result<std::optional<apply_error>>> send_some(const relay_transaction& txn,
                                                                       const sql_batch& batch,
                                                                       std::size_t& next);
};

// The user lock (GET_LOCK) a worker session holds for its lifetime.
std::string worker_lock_name(unsigned worker);

}  // namespace binrelay::applier
