#include "applier/json_diff_sql.h"

#include "applier/sql_literal.h"
#include "binlog/json_binary.h"
#include "binlog/json_diff.h"

namespace binrelay::applier {
namespace {

using binlog::json_diff_op;

// MySQL applies INSERT at a path ending in an array cell (`$.a[2]`) as an array insert.
bool ends_in_array_cell(std::string_view path) {
  return !path.empty() && path.back() == ']';
}

std::string_view function_of(const binlog::json_diff& d) {
  switch (d.op) {
    case json_diff_op::replace:
      return "JSON_REPLACE(";
    case json_diff_op::insert:
      return ends_in_array_cell(d.path) ? "JSON_ARRAY_INSERT(" : "JSON_INSERT(";
    case json_diff_op::remove:
      return "JSON_REMOVE(";
  }
  return "";
}

// A utf8mb4 text operand: CONVERT(X'..' USING utf8mb4), or CONVERT(? USING utf8mb4).
void append_text(std::string_view text, rows_form form, std::string& sql,
                 std::vector<protocol::param_value>& params) {
  sql += "CONVERT(";
  if (form == rows_form::text) {
    append_hex_literal(as_bytes(text), sql);
  } else {
    sql += '?';
    params.push_back(protocol::param_value::of_text(std::string(text)));
  }
  sql += " USING utf8mb4)";
}

}  // namespace

result<void> append_json_diff(std::string_view column, bytes_view diffs, rows_form form,
                              std::string& sql, std::vector<protocol::param_value>& params) {
  std::vector<binlog::json_diff> all;
  binlog::json_diff_reader reader(diffs);
  while (!reader.done()) {
    auto d = reader.next();
    if (!d) return std::move(d).error();
    all.push_back(*d);
  }
  for (auto it = all.rbegin(); it != all.rend(); ++it) sql += function_of(*it);
  append_identifier(column, sql);
  for (const auto& d : all) {
    sql += ',';
    append_text(d.path, form, sql, params);
    if (d.op != json_diff_op::remove) {
      std::string value;
      if (auto r = binlog::json_binary_to_text(d.value, value); !r) return r;
      sql += ",JSON_EXTRACT(";
      append_text(value, form, sql, params);
      sql += ",'$')";
    }
    sql += ')';
  }
  return {};
}

}  // namespace binrelay::applier
