#pragma once
// SHOW BINLOG EVENTS [IN 'file'] [FROM pos] [LIMIT [offset,] count] over the relay log:
// columns Log_name, Pos, Event_type, Server_id, End_log_pos, Info as MySQL shows them, with
// Info in MySQL's wording where binrelay decodes the event ("use `db`; CREATE ...",
// "SET @@SESSION.GTID_NEXT= 'uuid:n'", "BEGIN GTID 0-1-5", "COMMIT /* xid=12 */",
// "table_id: 70 (db.t)", "table_id: 70 flags: STMT_END_F", ...). docs/admin-sql.md.
// Reads the file itself (binlog::file_reader); never past `readable_size`, the store's end of
// complete transactions for the current file. Sans-I/O apart from reading that file.

#include <cstdint>
#include <filesystem>
#include <string>

#include "binlog/event.h"
#include "common/result.h"
#include "protocol/text_result_set.h"
#include "sql/statement.h"

namespace binrelay::admin {

// The Info column for one decoded event.
std::string binlog_event_info(const binlog::decoded_event& e);

struct binlog_events_request {
  std::filesystem::path path;       // the file to read
  std::string name;                 // its name, for Log_name
  std::uint64_t readable_size = 0;  // stop there
  std::uint64_t from = 4;           // first event's offset (FROM)
  std::uint64_t offset = 0;         // rows skipped (LIMIT offset,)
  std::optional<std::uint64_t> limit;
};

// Errors: io_error / corrupt from the reader; invalid_argument (errno 1220) when `from` is not
// the start of an event: "Error when executing command SHOW BINLOG EVENTS: Wrong offset or I/O
// error", as MySQL says.
result<protocol::query_result> show_binlog_events(const binlog_events_request& request);
// The empty answer (no relay log file yet).
protocol::query_result no_binlog_events();

}  // namespace binrelay::admin
