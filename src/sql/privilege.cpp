#include "sql/privilege.h"

#include <fmt/format.h>

#include "protocol/server_errors.h"

namespace binrelay::sql {

std::optional<std::string_view> admin_privilege(const sql::statement& s) {
  using namespace sql;
  if (std::holds_alternative<show_replica_status_statement>(s) ||
      std::holds_alternative<show_master_status_statement>(s) ||
      std::holds_alternative<show_binary_logs_statement>(s) ||
      std::holds_alternative<show_replicas_statement>(s) ||
      std::holds_alternative<show_replica_sources_statement>(s)) {
    return "SUPER, REPLICATION CLIENT";
  }
  if (std::holds_alternative<show_binlog_events_statement>(s)) return "REPLICATION SLAVE";
  if (std::holds_alternative<replica_control_statement>(s) ||
      std::holds_alternative<change_source_statement>(s) ||
      std::holds_alternative<reset_replica_statement>(s)) {
    return "SUPER, REPLICATION_SLAVE_ADMIN";
  }
  if (std::holds_alternative<flush_binary_logs_statement>(s)) return "RELOAD";
  if (std::holds_alternative<show_processlist_statement>(s)) return "PROCESS";
  if (std::holds_alternative<shutdown_statement>(s)) return "SHUTDOWN";
  if (std::holds_alternative<kill_statement>(s)) return "CONNECTION_ADMIN";
  if (std::holds_alternative<purge_binary_logs_statement>(s)) return "SUPER, BINLOG_ADMIN";
  return std::nullopt;
}

protocol::err_packet specific_access_denied(std::string_view privilege) {
  return protocol::make_err_packet(
      protocol::er::specific_access_denied,
      fmt::format("Access denied; you need (at least one of) the {} privilege(s) for this "
                  "operation",
                  privilege));
}

}  // namespace binrelay::sql
