#pragma once
// Partial JSON updates (MySQL 8.0 binlog_row_value_options=PARTIAL_JSON): in a
// PARTIAL_UPDATE_ROWS after image a JSON column whose partial bit is set holds a diff vector
// instead of a document:
//   { operation u8 (0 REPLACE, 1 INSERT, 2 REMOVE) | path lenenc + text |
//     [value lenenc + binary JSON, absent for REMOVE] }*
// Layout: docs/rows.md, "Partial JSON".

#include <cstdint>
#include <string>
#include <string_view>

#include "common/bytes.h"
#include "common/result.h"

namespace binrelay::binlog {

enum class json_diff_op : std::uint8_t { replace = 0, insert = 1, remove = 2 };

struct json_diff {
  json_diff_op op = json_diff_op::replace;
  std::string_view path;  // e.g. "$.a[1]"
  bytes_view value;       // binary JSON; empty for remove
};

// Iterates the diffs of one diff vector (the bytes after the column's length prefix).
class json_diff_reader {
 public:
  explicit json_diff_reader(bytes_view diffs) : r_(diffs) {}
  bool done() const { return r_.empty() || !r_.ok(); }
  // Reads the next diff; fails (corrupt) on a bad operation or truncated fields.
  result<json_diff> next();

 private:
  byte_reader r_;
};

// Appends the diff vector as mysqlbinlog -v prints it: nested calls, outermost first, one per
// line after the first ("\n###      " between them), consecutive diffs of one function in one
// call: JSON_REMOVE(\n###      JSON_REPLACE(@N, '$.a', 'x'),\n###      '$.b[0]').
// An INSERT at an array position is JSON_ARRAY_INSERT; values print as numbers, quoted
// strings, or CAST('{...}' AS JSON) for objects and arrays. Returns false (and appends
// nothing) when the vector is malformed.
bool format_json_diff(bytes_view diffs, std::size_t column_number, std::string& out);

}  // namespace binrelay::binlog
