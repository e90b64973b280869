#pragma once
// resume_scan: which transactions after the recorded progress position the downstream has
// committed already. Replay batches record their progress row only in their last
// transaction (replay_batch.h), and a DDL cannot share a transaction with its progress row,
// so after a crash some transactions after the recorded position may be committed without a
// progress row. Their GTIDs tell: the downstream logs each applied transaction with the
// primary's GTID, and its @@gtid_binlog_state holds the last GTID of every (domain, server_id)
// it logged. Since commits happen in relay order, the last transaction after the position
// whose GTID is in that state is the last committed one, and every transaction up to it is
// committed; none after it is.
//
// REQUIRES of the downstream: log_bin on (else the state does not move) and no other writer
// logging GTIDs with the primary's domain and server_id. MariaDB GTIDs only.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "applier/relay_log.h"
#include "binlog/log_position.h"
#include "common/result.h"
#include "gtid/mariadb_gtid.h"

namespace binrelay::applier {

// Parses @@gtid_binlog_state ("0-1-100,0-2-7,1-1-5", "" when empty).
result<std::vector<gtid::mariadb_gtid>> parse_binlog_state(std::string_view text);

struct committed_run {
  std::size_t transactions = 0;  // from `start` on, committed already
  std::string last_gtid;         // the last of them
};

// Reads at most `window` transactions from `start` and returns how many of the first ones are
// committed according to `state`. Errors: the relay reader's.
result<committed_run> committed_after(const relay_log& log, const binlog::log_position& start,
                                      const std::vector<gtid::mariadb_gtid>& state,
                                      std::size_t window);

}  // namespace binrelay::applier
