#pragma once
// CHANGE MASTER TO / CHANGE REPLICATION SOURCE TO: the options binrelayd honours applied to
// the current source settings (docs/admin-sql.md, "CHANGE MASTER TO"):
//   MASTER_HOST, MASTER_PORT, MASTER_USER, MASTER_PASSWORD, MASTER_CONNECT_RETRY,
//   MASTER_SSL (0|1), MASTER_SSL_CA, MASTER_SSL_CERT, MASTER_SSL_KEY,
//   MASTER_SSL_VERIFY_SERVER_CERT, MASTER_AUTO_POSITION (must be 1: binrelay always resumes by
//   GTID), MASTER_USE_GTID (slave_pos | current_pos), MASTER_HEARTBEAT_PERIOD (accepted,
//   --heartbeat-period-ms rules), and the SOURCE_ spellings of each.
// Anything else is ERR 1235 naming the option; a bad value is ERR 1210 naming it. Sans-I/O.

#include <optional>
#include <string>

#include "common/result.h"
#include "relay/source_settings.h"
#include "sql/statement.h"

namespace binrelay::admin {

struct source_change {
  relay::source_settings settings;
  std::optional<std::string> password;  // set when MASTER_PASSWORD was given
};

result<source_change> apply_change_source(const relay::source_settings& current,
                                          const sql::change_source_statement& s);

}  // namespace binrelay::admin
