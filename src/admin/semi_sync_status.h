#pragma once
// The IO thread's semi-synchronous replica state as SHOW [GLOBAL] STATUS variables on the
// admin port, under the names MySQL and MariaDB replicas use (docs/failover.md,
// "Semi-synchronous replication"):
//   Rpl_semi_sync_replica_status   ON while connected as a semi-sync replica (MySQL 8.0.26+)
//   Rpl_semi_sync_slave_status     the same (MariaDB, MySQL before 8.0.26)
//   Binrelay_semi_sync_acks        ACKs sent to sources since binrelayd started
// Sans-I/O.

#include <map>
#include <string>

#include "relay/upstream_status.h"

namespace binrelay::admin {

std::map<std::string, std::string> semi_sync_status(const relay::upstream_snapshot& io);

}  // namespace binrelay::admin
