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

bool format_json_diff(bytes_view diffs, std::size_t column_number, std::string& out) {
  std::vector<json_diff> list;
  json_diff_reader reader(diffs);
  while (!reader.done()) {
    auto d = reader.next();
    if (!d) return false;
    list.push_back(*d);
  }
  std::string text;
  std::string result;
  for (auto it = list.rbegin(); it != list.rend(); ++it)
    result += it->op == json_diff_op::replace  ? "JSON_REPLACE("
              : it->op == json_diff_op::insert ? "JSON_INSERT("
                                               : "JSON_REMOVE(";
  result += "@" + std::to_string(column_number);
  for (const json_diff& d : list) {
    result += ", ";
    append_quoted(as_bytes(d.path), result);
    if (d.op != json_diff_op::remove) {
      text.clear();
      if (!json_binary_to_text(d.value, text)) return false;
      result += ", CAST(";
      append_quoted(as_bytes(text), result);
      result += " AS JSON)";
    }
    result.push_back(')');
  }
  out += result;
  return true;
}

}  // namespace binrelay::binlog
