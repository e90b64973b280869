#pragma once
// Helpers for the rows tests: walk a binlog file's events by header (independent of
// file_reader), collect table maps and render all rows events as `###` lines.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "binlog/event_header.h"
#include "binlog/format_description.h"
#include "binlog/row_format.h"
#include "binlog/rows_event.h"
#include "binlog/table_map_event.h"

namespace binrelay::binlog::test {

struct walked_event {
  event_header header;
  std::uint64_t offset = 0;
  bytes_view body;  // without header and checksum
};

// Splits a whole binlog file (magic included) into events, decoding the FDE on the way.
// Stops at the first event that does not fit. Transaction payloads are not unpacked.
std::vector<walked_event> walk_events(const std::vector<std::uint8_t>& file,
                                      format_description& fde);

// Renders every rows event of the file as mysqlbinlog -vv `###` lines; decode errors are
// appended as "ERROR: ..." lines.
std::string render_rows(const std::vector<std::uint8_t>& file);

// The `###` lines of a mysqlbinlog text (each with its '\n').
std::string hash_lines(const std::string& text);

}  // namespace binrelay::binlog::test
