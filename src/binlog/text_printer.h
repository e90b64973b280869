#pragma once
// text_printer: renders binlog events as text for people, in the shape of
// `mysqlbinlog -vv --base64-output=decode-rows`: a "# at POS" line, a header line with the
// timestamp, server id, end_log_pos, checksum and a summary of the event, then for rows events
// the "### INSERT INTO `db`.`t` SET @1=..." listing (row_format.h). Events inside a
// TRANSACTION_PAYLOAD are printed after it, each with its own header line.
//
// Not thread-safe. Output is appended to a caller-owned string that must outlive the printer;
// the caller drains it (e.g. writes and clears it) whenever it likes.

#include <cstdint>
#include <string>

#include "binlog/file_reader.h"
#include "binlog/format_description.h"
#include "binlog/row_text_cache.h"
#include "binlog/table_map_cache.h"
#include "common/result.h"

namespace binrelay::binlog {

class text_printer {
 public:
  explicit text_printer(std::string& out) : out_(out) {}

  // Prints one event. `fde` is the format in force for it (the reader's current one).
  // A decoding error is printed as a comment and returned; printing may continue.
  result<void> print(const raw_event& ev, const format_description& fde);

 private:
  result<void> print_payload(const raw_event& ev, const format_description& fde);
  result<void> print_body(const raw_event& ev, const format_description& fde);
  void print_header_line(const raw_event& ev, const format_description& fde);

  std::string& out_;
  table_map_cache tables_;
  rows_text_cache row_text_;
  // "#YYMMDD HH:MM:SS server id N  end_log_pos " of the last header line printed.
  std::uint32_t cached_second_ = 0;
  std::uint32_t cached_server_id_ = 0;
  std::string cached_prefix_;
};

// "#YYMMDD HH:MM:SS" (or without '#') in local time, as mysqlbinlog prints event times.
void append_event_time(std::uint32_t unix_seconds, std::string& out, bool hash_prefix = true);

}  // namespace binrelay::binlog
