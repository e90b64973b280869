#pragma once
// text_printer: renders binlog events as text in the shape of mysqlbinlog / mariadb-binlog:
// a "# at POS" line, a header line with the timestamp, server id, end_log_pos, checksum and a
// summary of the event, then what replays the event:
//
//   - Query events: the session context (session_printer.h) and the statement;
//   - GTIDs: SET @@SESSION.GTID_NEXT (MySQL) or gtid_domain_id/server_id/gtid_seq_no and
//     START TRANSACTION (MariaDB);
//   - the FDE, Table_map and rows events: `BINLOG '<base64 of the events>'` blocks, one per
//     statement (Table_maps and rows events up to the one with STMT_END_F), as both tools
//     print them under --base64-output=AUTO, followed by `# Number of rows: N` (with -v, and
//     always for MariaDB binlogs, as mariadb-binlog prints it);
//   - with verbosity 1 or 2 (-v, -vv) the rows as `### INSERT INTO ...` pseudo-SQL
//     (row_format.h), -vv with a type comment per value.
//
// begin() and end() print what the output opens and closes with (DELIMITER, the session
// settings mysqlbinlog saves and restores, GTID_NEXT='AUTOMATIC'). Events inside a
// TRANSACTION_PAYLOAD are printed after it, each with its own header line.
//
// Not thread-safe. Output is appended to a caller-owned string that must outlive the printer;
// the caller drains it (e.g. writes and clears it) whenever it likes.

#include <cstdint>
#include <string>

#include "binlog/file_reader.h"
#include "binlog/format_description.h"
#include "binlog/row_text_cache.h"
#include "binlog/session_printer.h"
#include "binlog/table_map_cache.h"
#include "common/result.h"

namespace binrelay::binlog {

// --base64-output: AUTO prints BINLOG blocks for the FDE and row events (replayable); NEVER
// refuses row events; DECODE_ROWS prints rows only as `###` pseudo-SQL (not replayable).
enum class base64_output { automatic, never, decode_rows };

struct text_options {
  int verbosity = 0;  // 0: no `###` rows, 1: -v, 2: -vv (type comments)
  base64_output base64 = base64_output::automatic;
  bool skip_gtids = false;  // --skip-gtids: no GTID_NEXT / gtid_seq_no lines
};

class text_printer {
 public:
  explicit text_printer(std::string& out, text_options options = {})
      : out_(out), options_(options) {}

  // The lines the output opens with; once, before the first event.
  void begin();
  // Prints one event. `fde` is the format in force for it (the reader's current one).
  // A decoding error is printed as a comment and returned; printing may continue.
  result<void> print(const raw_event& ev, const format_description& fde);
  // After the events of each file: ends what the file left open (a statement without
  // STMT_END_F, a GTID_NEXT).
  void end_file();
  // The lines the output closes with; once, after the last file.
  void end();

 private:
  result<void> print_payload(const raw_event& ev, const format_description& fde);
  result<void> print_body(const raw_event& ev, const format_description& fde);
  result<void> print_row_event(const raw_event& ev, const format_description& fde);
  void print_format_description(const raw_event& ev, const format_description& f);
  void flush_statement(bool mariadb);
  void print_header_line(const raw_event& ev, const format_description& fde);

  std::string& out_;
  text_options options_;
  table_map_cache tables_;
  rows_text_cache row_text_;
  session_printer session_;
  bool mariadb_ = false;  // flavour of the last FDE
  // The statement being collected (Table_maps and rows events up to STMT_END_F): its
  // BINLOG base64 lines, its `###` lines (base64 AUTO) and its row count.
  std::string statement_base64_;
  std::string statement_rows_;
  std::size_t statement_row_count_ = 0;
  bool statement_counted_ = false;  // rows were decoded: print "# Number of rows"
  // "#YYMMDD HH:MM:SS server id N  end_log_pos " of the last header line printed.
  std::uint32_t cached_second_ = 0;
  std::uint32_t cached_server_id_ = 0;
  std::string cached_prefix_;
  // The text of the last end_log_pos printed: the next event's "# at" offset, usually.
  std::uint64_t cached_end_pos_ = 0;
  char cached_end_pos_text_[20] = {};
  std::uint8_t cached_end_pos_len_ = 0;
};

// "#YYMMDD HH:MM:SS" (or without '#') in local time, as mysqlbinlog prints event times.
void append_event_time(std::uint32_t unix_seconds, std::string& out, bool hash_prefix = true);
// `data` in base64 as mysqlbinlog prints events in BINLOG statements: lines of 76 characters,
// each ending in '\n'.
void append_base64_lines(bytes_view data, std::string& out);

}  // namespace binrelay::binlog
