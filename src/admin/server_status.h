#pragma once
// server_status: what the admin port says about binrelayd as a server, for monitoring tools
// (prometheus-mysqld-exporter, orchestrator, mariadb-admin; docs/admin-sql.md, "Monitoring"):
// SHOW GLOBAL STATUS counters, the global variables they read beyond the serving port's,
// COM_STATISTICS's line and SHOW PROCESSLIST's rows. Sans-I/O: computed from admin_state
// and the process counters (common/counters.h).

#include <cstdint>
#include <map>
#include <string>

#include "admin/state.h"
#include "protocol/text_result_set.h"

namespace binrelay::admin {

// SHOW GLOBAL STATUS: Uptime, Threads_connected, Questions, Bytes_received/sent,
// Slave_running, Binrelay_* counters, and the health counters (health_status.h).
std::map<std::string, std::string> global_status(const admin_state& state);

// Variables monitoring tools read that the serving port does not answer: hostname, read_only,
// log_slave_updates, gtid_slave_pos, gtid_binlog_state, ...; `executed` and `retrieved` are
// the texts of the applier's executed and the store's retrieved GTIDs.
void add_monitoring_variables(std::map<std::string, std::string>& vars, const admin_state& state);

// COM_STATISTICS's answer: "Uptime: 12  Threads: 2  Questions: 30  ...".
std::string statistics_line(const admin_state& state);

// SHOW PROCESSLIST's ids of the IO and SQL threads (KILL of them is STOP SLAVE's); the
// serving port numbers its connections from first_connection_id on.
inline constexpr std::uint32_t io_thread_id = 1;
inline constexpr std::uint32_t sql_thread_id = 2;
inline constexpr std::uint32_t first_connection_id = 3;

// Who the admin session asking is (its own row in SHOW PROCESSLIST).
struct process_self {
  std::uint32_t id = 0;
  std::string user;
  std::string host;
  std::string info;  // the statement
};

// SHOW [FULL] PROCESSLIST, by id: the IO and SQL threads as MySQL shows them ("system user",
// io_thread_id and sql_thread_id), each replica's dump thread, the other admin sessions
// (Sleep, idle seconds) and the asking session; ids other than the threads' are for KILL.
protocol::query_result processlist(const admin_state& state, const process_self& self);

}  // namespace binrelay::admin
