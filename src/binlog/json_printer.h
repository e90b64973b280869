#pragma once
// json_printer: renders binlog events as JSON lines, one object per event, for programs
// (`binrelay-inspect --json`). Every object has "pos", "end_log_pos", "type", "type_code",
// "server_id", "timestamp" and "size"; families add their fields (GTIDs, query text, table
// names, rotate targets, MariaDB Gtid_list contents as "gtid_list": ["0-1-5", ...]), and
// rows events add "rows": [{"before": {...}, "after": {...}}]
// keyed by column name when the table map carries names, else by "@N". Numbers are JSON
// numbers, NULL is null, JSON columns are embedded as JSON, other values are strings.
//
// Not thread-safe. Output is appended to a caller-owned string that outlives the printer.

#include <string>

#include "binlog/file_reader.h"
#include "binlog/format_description.h"
#include "binlog/table_map_cache.h"
#include "common/result.h"

namespace binrelay::binlog {

class json_printer {
 public:
  explicit json_printer(std::string& out) : out_(out) {}

  // Prints one event as one line. Events inside a TRANSACTION_PAYLOAD follow it, each with
  // "in_payload": true. On a decoding error the line carries "error" and the error is returned.
  result<void> print(const raw_event& ev, const format_description& fde);

 private:
  result<void> print_event(const raw_event& ev, const format_description& fde, bool in_payload);
  result<void> print_fields(const raw_event& ev, const format_description& fde);
  result<void> print_payload(const raw_event& ev, const format_description& fde);

  std::string& out_;
  table_map_cache tables_;
};

}  // namespace binrelay::binlog
