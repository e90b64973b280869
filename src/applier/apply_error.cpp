#include "applier/apply_error.h"

#include <fmt/format.h>

namespace binrelay::applier {
namespace {

std::string prefix(unsigned worker, const relay_transaction& txn) {
  return fmt::format(
      "Worker {} failed executing transaction '{}' at relay log '{}', "
      "end_log_pos {}; ",
      worker, txn.gtid_text(), txn.file, txn.end_offset);
}

// The server's message without our "server h:p: ERROR n (state): " decoration.
std::string_view server_message(const binrelay::error& e) {
  std::string_view m = e.message;
  auto p = m.find("): ");
  return p == std::string_view::npos ? m : m.substr(p + 3);
}

// The storage engine error a replica names after a rows event's server error, as MySQL's
// replica does ("handler error HA_ERR_FOUND_DUPP_KEY"); "" when the error is not a handler's.
std::string_view handler_error(std::uint32_t code) {
  switch (code) {
    case 1022:  // ER_DUP_KEY
    case 1062:  // ER_DUP_ENTRY
      return "HA_ERR_FOUND_DUPP_KEY";
    case er_key_not_found:
      return "HA_ERR_KEY_NOT_FOUND";
    case er_lock_wait_timeout:
      return "HA_ERR_LOCK_WAIT_TIMEOUT";
    case er_lock_deadlock:
      return "HA_ERR_LOCK_DEADLOCK";
    case 1451:  // ER_ROW_IS_REFERENCED_2
      return "HA_ERR_ROW_IS_REFERENCED";
    case 1452:  // ER_NO_REFERENCED_ROW_2
      return "HA_ERR_NO_REFERENCED_ROW";
    case 1114:  // ER_RECORD_FILE_FULL
      return "HA_ERR_RECORD_FILE_FULL";
    default:
      return {};
  }
}

std::string event_part(const relay_transaction& txn, const statement_origin& o,
                       std::string_view message, std::uint32_t code) {
  if (o.event.empty() || o.event == "Query") {
    return fmt::format("Error '{}' on query. Default database: '{}'. Error_code: {}", message, o.db,
                       code);
  }
  std::string handler;
  if (auto h = handler_error(code); !h.empty()) handler = fmt::format("; handler error {}", h);
  return fmt::format(
      "Could not execute {} event on table {}.{}; {}, Error_code: {}{}; the event's "
      "relay log {}, end_log_pos {}",
      o.event, o.db, o.table, message, code, handler, txn.file, o.end_log_pos);
}

}  // namespace

apply_error statement_failed(unsigned worker, const relay_transaction& txn,
                             const statement_origin& origin, const binrelay::error& e) {
  std::uint32_t code = e.server_errno;
  if (code == er_key_not_found && !origin.table.empty()) return row_not_found(worker, txn, origin);
  bool retry = code == er_lock_deadlock || code == er_lock_wait_timeout;
  return {code, prefix(worker, txn) + event_part(txn, origin, server_message(e), code), retry};
}

apply_error row_not_found(unsigned worker, const relay_transaction& txn,
                          const statement_origin& origin) {
  std::string message = fmt::format("Can't find record in '{}'", origin.table);
  std::string text = prefix(worker, txn) + event_part(txn, origin, message, er_key_not_found);
  return {er_key_not_found, std::move(text), false};
}

apply_error connection_lost(const binrelay::error& e) {
  return {2013, "Lost connection to the downstream: " + e.describe(), false};
}

apply_error downstream_failed(const binrelay::error& e, std::string_view doing) {
  if (e.server_errno == 0) {
    if (is_transient(e)) return connection_lost(e);
    return {er_applier_fatal, fmt::format("Error while {}: {}", doing, e.describe()), false};
  }
  return {e.server_errno,
          fmt::format("Error '{}' from the downstream while {}. Error_code: {}", server_message(e),
                      doing, e.server_errno),
          false};
}

bool is_transient_errno(std::uint32_t code) {
  switch (code) {
    case 1040:  // ER_CON_COUNT_ERROR: too many connections
    case 1053:  // ER_SERVER_SHUTDOWN
    case 1077:  // ER_NORMAL_SHUTDOWN
    case 1152:  // ER_ABORTING_CONNECTION
    case 1158:  // ER_NET_READ_ERROR
    case 1159:  // ER_NET_READ_INTERRUPTED
    case 1160:  // ER_NET_ERROR_ON_WRITE
    case 1161:  // ER_NET_WRITE_INTERRUPTED
    case er_lock_wait_timeout:
    case er_lock_deadlock:
    case 1317:  // ER_QUERY_INTERRUPTED
    case 1927:  // ER_CONNECTION_KILLED
    case 2006:  // CR_SERVER_GONE_ERROR
    case 2013:  // CR_SERVER_LOST
    case 4031:  // ER_CLIENT_INTERACTION_TIMEOUT
      return true;
    default:
      return false;
  }
}

bool is_transient(const binrelay::error& e) {
  switch (e.code) {
    case errc::server_error:
    case errc::auth_failed:
      return e.server_errno != 0 ? is_transient_errno(e.server_errno) : e.code != errc::auth_failed;
    case errc::io_error:
    case errc::closed:
    case errc::timed_out:
      return true;
    default:
      return false;
  }
}

apply_error cannot_apply(unsigned worker, const relay_transaction& txn, const binrelay::error& e) {
  return {er_applier_fatal, prefix(worker, txn) + e.describe(), false};
}

}  // namespace binrelay::applier
