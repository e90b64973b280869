#pragma once
// gtid_switch: may binrelayd stream from a source other than the one its relay log last came
// from (docs/failover.md, "GTID-safe switching")? It compares what binrelayd holds (its
// retrieved GTIDs) with what the candidate has (MySQL @@gtid_executed, MariaDB
// @@gtid_binlog_pos):
//   missing: transactions binrelayd holds that the candidate lacks. Streaming from it would
//            leave them in our log but in no server's history: refused, unless accepted by
//            --failover-accept-missing-gtids, and then reported as errant;
//   extra:   MySQL: transactions of servers (uuids) binrelayd never received anything from;
//            MariaDB: domains binrelayd holds nothing of. Reported, not refused (they arrive
//            by auto-position like any other).
// Sans-I/O.

#include <string>

#include "gtid/gtid_state.h"

namespace binrelay::relay {

struct gtid_comparison {
  std::string missing;  // GTID set / position text; "" when none
  std::string extra;
};

// REQUIRES held.mariadb == candidate.mariadb.
gtid_comparison compare_for_switch(const gtid::gtid_state& held, const gtid::gtid_state& candidate);

}  // namespace binrelay::relay
