#pragma once
// replay_batch: consecutive replayable transactions (binlog_replay.h) as one multi-statement
// COM_QUERY, each transaction as
//
//   [BINLOG '<FDE>';]SET SESSION [gtid_domain_id=D,server_id=S,]gtid_seq_no=N;   (MariaDB)
//   SET GTID_NEXT='uuid[:tag]:N';[BINLOG '<FDE>';]                               (MySQL)
//   BINLOG '<row events>'[;BINLOG ...][;REPLACE INTO binrelay.apply_progress VALUES (...)]
//   [;COMMIT]
//
// The session runs with autocommit=0, so the first BINLOG starts the transaction; the domain
// and server_id are set only when they differ from what the session holds; the progress row is
// written by every transaction or, when the caller relies on the downstream's
// gtid_binlog_state to find committed transactions (resume_scan.h), by the batch's last one.
//
// The server runs the statements in order and stops at the first failing one, so every
// transaction before the failing one has committed, the failing one is open (the worker rolls
// it back) and none after it ran. One batch is in flight per session at a time.
//
// The batch remembers which transaction and which part of it each statement is, to tell the
// caller what committed and where it failed. Sans-I/O.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "applier/binlog_replay.h"
#include "applier/downstream_flavour.h"
#include "applier/relay_transaction.h"
#include "common/error.h"
#include "protocol/connection.h"

namespace binrelay::applier {

enum class replay_part : std::uint8_t { format, gtid, rows, progress, commit };

struct replay_step {
  std::uint32_t txn = 0;  // index in the batch
  replay_part part = replay_part::rows;
  std::uint32_t group = 0;  // rows: which BINLOG statement of the transaction
};

// The GTID domain and server_id a session has set (then only gtid_seq_no must change).
struct gtid_session {
  bool known = false;
  std::uint32_t domain_id = 0;
  std::uint32_t server_id = 0;
};

struct replay_options {
  unsigned worker = 0;
  downstream_flavour flavour = downstream_flavour::mariadb;
  bool commit = true;        // end with COMMIT
  bool progress = true;      // record the progress row
  bool send_format = false;  // start with the relay file's FDE
  replay_split split = replay_split::by_size;
  std::size_t max_statement_bytes = 4 << 20;
};

struct replay_batch {
  std::string sql;
  std::vector<replay_step> steps;  // one per statement, in order
  std::uint32_t transactions = 0;

  // Appends txn's statements. REQUIRES: replayable(txn, o.flavour) and a GTID of that flavour.
  void append(const relay_transaction& txn, replay_encoder& encoder, const replay_options& o,
              gtid_session& session);
};

// What running a batch did.
struct replay_outcome {
  std::uint32_t committed = 0;        // transactions committed, from the batch's first
  std::optional<replay_step> failed;  // the failing statement; its transaction is open
  std::optional<binrelay::error> error;
};

// Reads the server's answer to `b` (query_batch's result).
replay_outcome interpret(const replay_batch& b, const protocol::connection::batch_result& r);

}  // namespace binrelay::applier
