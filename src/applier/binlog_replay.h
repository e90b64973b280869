#pragma once
// binlog_replay: a relayed transaction's row events as BINLOG statements. The downstream
// decodes them and applies the rows with its own replica code, as when it replays
// mariadb-binlog output: no SQL per row, no schema lookups, every column type and row image
// exactly as the primary logged it.
//
//   BINLOG '<base64 of the relay file's FDE>'      once per session and relay file format
//   BINLOG '<base64 of TABLE_MAP ... ROWS(STMT_END_F) TABLE_MAP ... ROWS(STMT_END_F)>'
//
// A transaction is replayable when its relay file comes from a primary of the downstream's
// flavour (MariaDB into MariaDB, MySQL into MySQL: each server decodes only its own events) and
// it holds only GTID, BEGIN/COMMIT, ANNOTATE_ROWS / ROWS_QUERY, TABLE_MAP, rows (v1, v2,
// MariaDB compressed, MySQL partial JSON updates) and XID events: the server refuses other
// events in BINLOG (statements, INTVAR, USER_VAR ... go through the SQL paths,
// transaction_sql.h). MySQL's compressed transactions are expanded first (payload_expand.h).
// The GTID, BEGIN and COMMIT become statements of the applier (replay_batch.h); ANNOTATE_ROWS
// and ROWS_QUERY are dropped.
//
// A statement group is a run of TABLE_MAPs and rows events ending with one flagged STMT_END_F
// (one statement on the primary). BINLOG statements are cut only between groups.
//
// Sans-I/O. Not thread-safe (an encoder holds a scratch buffer; one per worker).

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "applier/downstream_flavour.h"
#include "applier/relay_transaction.h"
#include "applier/sql_batch.h"
#include "common/result.h"

namespace binrelay::applier {

// Whether every event of `txn` can be replayed with BINLOG on a `downstream` (see above).
bool replayable(const relay_transaction& txn, downstream_flavour downstream);

// How the row events are cut into BINLOG statements.
enum class replay_split {
  by_size,   // as few statements as the size limit allows (the fast path)
  by_group,  // one statement per statement group (to tell which one fails)
};

class replay_encoder {
 public:
  // Appends `BINLOG '...'` statements for txn's row events to `out`, separated by ';' (none
  // before the first or after the last). by_size: a statement grows past `max_statement_bytes`
  // only when one group alone is larger. Returns the number of statements appended.
  // REQUIRES: replayable(txn).
  std::size_t append(const relay_transaction& txn, replay_split split,
                     std::size_t max_statement_bytes, std::string& out);

 private:
  std::vector<std::uint8_t> scratch_;
};

// `BINLOG '<base64 of the FDE event>'` for the transaction's relay file.
std::string format_statement(const relay_transaction& txn);

// Where each statement group of txn came from (its first rows event: type, table, end_log_pos;
// expected_rows 0), in order. When the group holds rows events on several tables, the one
// `error_message` names ("... in 'table'") is chosen. Decodes the table maps.
result<std::vector<statement_origin>> group_origins(const relay_transaction& txn,
                                                    std::string_view error_message = {});

}  // namespace binrelay::applier
