#pragma once
// SHOW SLAVE STATUS / SHOW REPLICA STATUS: MySQL 8.0's 60 columns in MySQL's order (MySQL
// sql/rpl_replica.cc show_slave_status_metadata), named with the words the statement used
// (Slave_/Master_ for SHOW SLAVE STATUS, Replica_/Source_ for SHOW REPLICA STATUS), or
// MariaDB 10.11's columns when binrelayd presents itself as MariaDB; with the
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
  std::uint64_t max_relay_log_size = 0;
  double heartbeat_period_s = 0;
  std::int64_t now_unix = 0;
};

replica_status_inputs collect_replica_status(const admin_state& state, std::int64_t now_unix);

// The one-row result set with MySQL's columns: 8.0's for SHOW SLAVE STATUS (9.7 no longer
// accepts it), 8.0's and 9.7's (the same names) for SHOW REPLICA STATUS.
protocol::query_result replica_status_result(const replica_status_inputs& in, sql::wording words);

// The one-row result set with MariaDB 10.11's 54 columns (SHOW SLAVE|REPLICA STATUS), or with
// SHOW ALL SLAVES STATUS's 62 (Connection_name, Slave_SQL_State, ..., Gtid_Slave_Pos).
protocol::query_result mariadb_replica_status_result(const replica_status_inputs& in,
                                                     bool all_slaves);

// Seconds_Behind_Master (nullopt is NULL), MySQL's rule: NULL unless the IO thread is
// connected and (with an applier) the SQL thread runs; 0 when the applier has committed all
// the relay log holds; else now minus the source timestamp of the oldest transaction read but
// not committed (of the last committed one when none is pending), corrected by the clock
// difference measured at connect. Without an applier: the receiver's lag behind the source,
// the age of the last transaction event received on this connection (0 before the first, and
// once a heartbeat says the source has nothing more).
std::optional<std::int64_t> seconds_behind_source(const replica_status_inputs& in);

// The applier says it is caught up and its executed GTIDs hold every retrieved one.
bool applier_caught_up(const replica_status_inputs& in);

// Slave_SQL_Running_State: the applier's, unless it says it read all the relay log while
// retrieved transactions are still unapplied.
std::string sql_running_state(const replica_status_inputs& in);

// "YYMMDD HH:MM:SS" in local time, MySQL's *_Error_Timestamp format; "" for 0.
std::string error_timestamp(std::int64_t unix_seconds);

}  // namespace binrelay::admin
