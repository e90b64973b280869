#pragma once
// progress: where the applier is, recorded on the downstream in the same transaction as the
// changes it applies, so that after a crash (of binrelayd or of the downstream) the committed
// data and the recorded position can never disagree.
//
//   binrelay.apply_progress(worker PK, file_number, relay_file, end_offset, gtid)
//
// One row per worker, so parallel workers never contend on one row (like MySQL's
// mysql.slave_worker_info). Commits happen in relay order, so every transaction before the
// greatest (file_number, end_offset) of all rows is committed and none after it: that is
// where the applier resumes. mysql.gtid_slave_pos is not used: MariaDB updates it only for
// its own replication threads, not for a client session.
// Sans-I/O: SQL text and parsing of its answers.

#include <optional>
#include <string>
#include <vector>

#include "applier/relay_transaction.h"
#include "binlog/log_position.h"
#include "common/result.h"
#include "protocol/prepared_statement.h"
#include "protocol/text_result_set.h"

namespace binrelay::applier {

// Creates the schema and table if missing (run with sql_log_bin=0).
std::string_view create_progress_sql();
// The statement recording that `worker` applied `txn` (inside txn's transaction).
std::string record_progress_sql(unsigned worker, const relay_transaction& txn);
// The same as a prepared statement and its parameters.
std::string_view record_progress_statement();
std::vector<protocol::param_value> record_progress_params(unsigned worker,
                                                          const relay_transaction& txn);
// The query answered by parse_resume_position().
std::string_view resume_position_sql();
// The relay position after the last committed transaction; nullopt when nothing was applied.
result<std::optional<binlog::log_position>> parse_resume_position(const protocol::query_result& r);

}  // namespace binrelay::applier
