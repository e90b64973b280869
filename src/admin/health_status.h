#pragma once
// The relay's health as SHOW [GLOBAL] STATUS variables on the admin port, the counters a
// monitoring system scrapes (docs/admin-sql.md, "Health counters"):
//   Binrelay_relay_log_damaged_ranges     ranges of relay log files verification found
//                                          damaged at open and that are not served
//   Binrelay_relay_log_first_damage       "<file> at <offset>: <what>" of the first, or ""
//   Binrelay_relay_log_duplicate_gtids    GTIDs stored twice
//   Binrelay_relay_log_first_duplicate    "<gtid> in <file> at <offset>", or ""
//   Binrelay_relay_log_gtid_mismatches    files whose header GTID set disagrees with the
//                                          content of the earlier files
//   Binrelay_io_retries                    failed IO thread attempts since the last that made
//                                          progress
//   Binrelay_io_retry_delay_ms             the wait before the next attempt (0: not retrying)
// Sans-I/O.

#include <map>
#include <string>

#include "relay/relay_store_types.h"
#include "relay/upstream_status.h"

namespace binrelay::admin {

std::map<std::string, std::string> health_status(const relay::store_verification& store,
                                                 const relay::upstream_snapshot& io);

}  // namespace binrelay::admin
