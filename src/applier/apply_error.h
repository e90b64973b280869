#pragma once
// apply_error: why a transaction could not be applied, in the words of MySQL's replica
// (Last_SQL_Errno / Last_SQL_Error of SHOW SLAVE STATUS), and which errors are retried.
//
//   Worker 2 failed executing transaction '0-1-42' at relay log 'relay-bin.000001',
//   end_log_pos 4567; Could not execute Update_rows_v1 event on table db.t; Can't find
//   record in 't', Error_code: 1032; handler error HA_ERR_KEY_NOT_FOUND; the event's relay
//   log relay-bin.000001, end_log_pos 4501

#include <cstdint>
#include <string>
#include <string_view>

#include "applier/relay_transaction.h"
#include "applier/sql_batch.h"
#include "common/error.h"

namespace binrelay::applier {

inline constexpr std::uint32_t er_key_not_found = 1032;
inline constexpr std::uint32_t er_lock_wait_timeout = 1205;
inline constexpr std::uint32_t er_lock_deadlock = 1213;
// MySQL's ER_REPLICA_FATAL_ERROR-like code for errors that are not the server's.
inline constexpr std::uint32_t er_applier_fatal = 13117;

struct apply_error {
  std::uint32_t code = 0;  // Last_SQL_Errno
  std::string text;        // Last_SQL_Error
  bool retryable = false;  // deadlock or lock wait timeout
  // Optimistic mode: rolled back before its turn so that an earlier transaction can go on.
  bool undone = false;
};

// A statement of the batch failed on the server (`e` is the server's error).
apply_error statement_failed(unsigned worker, const relay_transaction& txn,
                             const statement_origin& origin, const binrelay::error& e);
// An UPDATE/DELETE matched no row.
apply_error row_not_found(unsigned worker, const relay_transaction& txn,
                          const statement_origin& origin);
// The downstream connection failed (MySQL's CR_SERVER_LOST, 2013).
apply_error connection_lost(const binrelay::error& e);
// The downstream failed outside a transaction's statements, while `doing` (connecting,
// setting a session up, reading or recording progress, committing): a server's error reply
// keeps its own errno and text; anything else is a lost connection (2013).
apply_error downstream_failed(const binrelay::error& e, std::string_view doing);

// Error classes (docs/applier.md, "Errors"). Transient: the connection or the server went away
// (network errors, 2006/2013, server shutdown 1053, connection killed 1927, too many
// connections 1040, ...), a deadlock (1213) or a lock wait timeout (1205): retried, the SQL
// thread keeps running. Everything else is permanent (access denied, unknown variable,
// syntax, duplicate key, row not found, ...): the SQL thread stops with it.
bool is_transient(const binrelay::error& e);
bool is_transient_errno(std::uint32_t server_errno);
// The transaction could not be turned into SQL (decoding, missing table, unsupported).
apply_error cannot_apply(unsigned worker, const relay_transaction& txn, const binrelay::error& e);

}  // namespace binrelay::applier
