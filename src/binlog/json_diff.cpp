#include "binlog/json_diff.h"

#include <vector>

#include "binlog/json_binary.h"
#include "binlog/row_format.h"

namespace binrelay::binlog {

result<json_diff> json_diff_reader::next() {
  json_diff d;
  std::uint8_t op = r_.u8();
  if (r_.ok() && op > 2) {
    r_.fail();
    return make_error(errc::corrupt, "JSON diff: unknown operation {}", op);
  }
  d.op = static_cast<json_diff_op>(op);
  std::uint64_t path_len = r_.lenenc();
  if (r_.ok() && path_len > r_.remaining()) r_.fail();
  d.path = r_.str(path_len);
  if (d.op != json_diff_op::remove) {
    std::uint64_t value_len = r_.lenenc();
    if (r_.ok() && value_len > r_.remaining()) r_.fail();
    d.value = r_.bytes(value_len);
  }
  if (!r_.ok()) return make_error(errc::truncated, "JSON diff truncated");
  return d;
}

namespace {

std::string_view operation_name(const json_diff& d) {
  switch (d.op) {
    case json_diff_op::replace:
      return "JSON_REPLACE";
    case json_diff_op::insert:
      return !d.path.empty() && d.path.back() == ']' ? "JSON_ARRAY_INSERT" : "JSON_INSERT";
    default:
      return "JSON_REMOVE";
  }
}

// The value of a diff as mysqlbinlog prints it: numbers, booleans and null as JSON text;
// strings, dates and times as quoted SQL strings; objects and arrays as CAST('...' AS JSON).
bool append_diff_value(bytes_view value, std::string& out) {
  constexpr std::uint8_t large_array = 3;
  std::string text;
  if (!json_binary_to_unquoted_text(value, text)) return false;
  const std::uint8_t type = value.empty() ? 4 : value[0];
  // Strings, and opaque values other than DECIMAL (dates, times): quoted SQL strings.
  const bool quoted = type == 0x0c || (type == 0x0f && value.size() > 1 && value[1] != 246);
  if (type <= large_array) {
    out += "CAST(";
    append_quoted_mysql(as_bytes(text), out);
    out += " AS JSON)";
  } else if (quoted) {
    append_quoted_mysql(as_bytes(text), out);
  } else {
    out += text;
  }
  return true;
}

}  // namespace

bool format_json_diff(bytes_view diffs, std::size_t column_number, std::string& out) {
  static constexpr std::string_view line_separator = "\n###      ";
  std::vector<json_diff> list;
  json_diff_reader reader(diffs);
  while (!reader.done()) {
    auto d = reader.next();
    if (!d) return false;
    list.push_back(*d);
  }
  // Consecutive diffs with the same function share one call: JSON_REPLACE(@1, p1, v1, p2, v2).
  std::string result;
  for (std::size_t i = list.size(); i-- > 0;) {
    if (i > 0 && operation_name(list[i - 1]) == operation_name(list[i])) continue;
    if (!result.empty()) result += line_separator;
    result += operation_name(list[i]);
    result += '(';
  }
  result += "@" + std::to_string(column_number);
  if (!list.empty()) result += ", ";
  for (std::size_t i = 0; i < list.size(); ++i) {
    const json_diff& d = list[i];
    append_quoted_mysql(as_bytes(d.path), result);
    if (d.op != json_diff_op::remove) {
      result += ", ";
      if (!append_diff_value(d.value, result)) return false;
    }
    const bool last = i + 1 == list.size();
    if (last || operation_name(list[i + 1]) != operation_name(d)) result += ')';
    if (!last) {
      result += ',';
      result += line_separator;
    }
  }
  out += result;
  return true;
}

}  // namespace binrelay::binlog
