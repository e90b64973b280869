#pragma once
// applier_status: what binrelayd's applier (the SQL thread of a MySQL replica) reports, for
// SHOW SLAVE STATUS (Slave_SQL_Running, Relay_Log_File/Pos, Exec_Master_Log_Pos,
// Executed_Gtid_Set, Last_SQL_Errno/Error, Seconds_Behind_Master, ...; docs/admin-sql.md).
// The applier fills it; the admin port reads snapshots. Until an applier runs, the admin port
// shows Slave_SQL_Running: No and the stored GTIDs as executed (`configured` false).
//
// Thread-safe: the applier updates it from any thread; any thread may take a snapshot.

#include <cstdint>
#include <string>

#include "common/status_holder.h"
#include "gtid/gtid_state.h"

namespace binrelay::applier {

struct applier_snapshot {
  bool configured = false;     // an applier exists (--apply-to); false: columns show the store
  bool running = false;        // Slave_SQL_Running
  std::string state;           // Slave_SQL_Running_State, e.g. "Replica has read all relay log;
                               // waiting for more updates"
  std::string relay_log_file;  // next event to apply: Relay_Log_File
  std::uint64_t relay_log_pos = 0;        // Relay_Log_Pos
  std::string source_log_file;            // Relay_Master_Log_File: source file of the last applied
  std::uint64_t exec_source_log_pos = 0;  // Exec_Master_Log_Pos
  gtid::gtid_state executed;              // Executed_Gtid_Set: committed on the downstream
  std::uint32_t last_sql_errno = 0;
  std::string last_sql_error;
  std::int64_t last_sql_error_unix = 0;
  // Source timestamp of the last committed transaction (0: none yet), for
  // Seconds_Behind_Master.
  std::int64_t last_applied_event_unix = 0;
  // Source timestamp of the oldest transaction read from the relay log but not committed yet
  // (0: none), for Seconds_Behind_Master while behind.
  std::int64_t applying_event_unix = 0;
  bool caught_up = false;                    // applied everything in the relay log
  std::uint32_t busy_workers = 0;            // workers applying a transaction now
  std::uint64_t transactions_committed = 0;  // since binrelayd started
};

using applier_status = status_holder<applier_snapshot>;

}  // namespace binrelay::applier
