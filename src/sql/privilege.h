#pragma once
// Which statements of the SQL subset are administration (docs/admin-sql.md): only the admin
// user (--admin-user) may run them; the replication user gets MySQL's ERR 1227
// ER_SPECIFIC_ACCESS_DENIED_ERROR naming the privilege MySQL 8.0 would require. Sans-I/O.

#include <optional>
#include <string_view>

#include "protocol/response_packets.h"
#include "sql/statement.h"

namespace binrelay::sql {

// The privilege text ("SUPER, REPLICATION CLIENT") for an admin statement; nullopt for the
// statements replicas send (SET, SELECT, SHOW VARIABLES, ...).
std::optional<std::string_view> admin_privilege(const sql::statement& s);

// ERR 1227 (42000) "Access denied; you need (at least one of) the <privilege> privilege(s)
// for this operation".
protocol::err_packet specific_access_denied(std::string_view privilege);

}  // namespace binrelay::sql
