#pragma once
// The source list on the admin port (docs/admin-sql.md, "Sources and failover"):
//   SHOW REPLICA SOURCES: one row per source binrelayd knows: Host, Port, Weight, Origin
//     (configured / group), Member_Id, Member_State, Member_Role, Group_Name, Current (Yes
//     for the source streamed from), Usable (Yes, or why not), Last_Error, Errant_Gtids (for
//     the current source: GTIDs it lacked, accepted by --failover-accept-missing-gtids);
//   SELECT {* | columns} FROM performance_schema.replication_asynchronous_connection_failover
//     [LIMIT n]: MySQL's table (CHANNEL_NAME, HOST, PORT, NETWORK_NAMESPACE, WEIGHT,
//     MANAGED_NAME); group members carry MySQL's default managed weights (PRIMARY 80, others
//     60) and the group name as MANAGED_NAME.
// Sans-I/O.

#include "relay/replica_queries.h"
#include "relay/source_list.h"
#include "relay/upstream_status.h"
#include "sql/statement.h"

namespace binrelay::admin {

relay::query_answer replica_sources_result(const relay::source_list_snapshot& sources,
                                           const relay::upstream_snapshot& upstream);

inline constexpr std::string_view failover_table =
    "performance_schema.replication_asynchronous_connection_failover";

// ERR 1146 for a table other than the one above, 1054 for an unknown column.
relay::query_answer select_from_table(const sql::select_statement& s,
                                      const relay::source_list_snapshot& sources);

}  // namespace binrelay::admin
