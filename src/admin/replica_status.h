#pragma once
// SHOW SLAVE STATUS / SHOW REPLICA STATUS: MySQL 8.0's 60 columns in MySQL's order (MySQL
// sql/rpl_replica.cc show_slave_status_metadata), named with the words the statement used
// (Slave_/Master_ for SHOW SLAVE STATUS, Replica_/Source_ for SHOW REPLICA STATUS), with the
// values of binrelayd's receiver, relay store, applier and CHANGE MASTER settings. Where each
// value comes from: docs/admin-sql.md, "SHOW SLAVE STATUS". Sans-I/O.

#include <cstdint>
#include <string>

#include "admin/state.h"
#include "protocol/text_result_set.h"
#include "sql/statement.h"

namespace binrelay::admin {

// Everything one row is computed from; a consistent set of snapshots.
struct replica_status_inputs {
  relay::upstream_snapshot upstream;
  applier::applier_snapshot applier;
  relay::store_snapshot store;
  relay::source_settings source;
  std::string info_file;  // Master_Info_File
  std::int64_t now_unix = 0;
};

replica_status_inputs collect_replica_status(const admin_state& state, std::int64_t now_unix);

// The one-row result set.
protocol::query_result replica_status_result(const replica_status_inputs& in, sql::wording words);

// Seconds_Behind_Master (nullopt is NULL): with an applier, MySQL's rule over the applier's
// last committed source timestamp; without one, the receiver's lag behind the source.
std::optional<std::int64_t> seconds_behind_source(const replica_status_inputs& in);

// "YYMMDD HH:MM:SS" in local time, MySQL's *_Error_Timestamp format; "" for 0.
std::string error_timestamp(std::int64_t unix_seconds);

}  // namespace binrelay::admin
