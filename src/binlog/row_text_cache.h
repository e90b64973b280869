#pragma once
// rows_text_cache: the parts of the `###` row listing (row_format.h) that depend only on a
// table map's columns, built once per map and reused by every row of every rows event that
// refers to it: the "###   @3=" line prefix and the line's end after the value, the type
// comment " /* STRING(120) meta=65144 nullable=0 is_null=N */" and newline, one for each N.
//
// Entries are keyed by the map's address and checked against the columns' type, metadata,
// length and nullability on every lookup, so a map replaced at the same address is rebuilt.
// Not thread-safe. References returned by columns() are valid until the next call.

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "binlog/table_map_event.h"

namespace binrelay::binlog {

class rows_text_cache {
 public:
  struct column_text {
    std::string prefix;     // "###   @3="
    std::string value_end;  // " /* STRING(120) meta=65144 nullable=0 is_null=0 */\n"
    std::string null_end;   // the same with is_null=1
  };

  // The text of every column of `map`, in column order.
  const std::vector<column_text>& columns(const table_map_event& map);

 private:
  struct column_key {
    column_type type;
    std::uint16_t meta;
    bool nullable;
    std::uint32_t length;
    bool operator==(const column_key&) const = default;
  };
  struct entry {
    std::vector<column_key> key;
    std::vector<column_text> text;
  };
  // Beyond this many maps the cache starts over (a stream may map many tables over time).
  static constexpr std::size_t max_entries = 4096;

  std::unordered_map<const table_map_event*, entry> entries_;
};

}  // namespace binrelay::binlog
