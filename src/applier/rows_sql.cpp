#include "applier/rows_sql.h"

#include "applier/sql_literal.h"

namespace binrelay::applier {
namespace {

using binlog::value_kind;

void append_table(const table_schema& s, std::string& out) {
  append_identifier(s.db, out);
  out += '.';
  append_identifier(s.table, out);
}

bool present(const binlog::column_value& v) { return v.kind != value_kind::absent; }

result<void> append_value(const binlog::table_map_event& map, const table_schema& s,
                          const binlog::row_image& row, std::size_t i, std::string& out) {
  const auto& c = map.columns[i];
  if (s.unsigned_columns[i] && !c.is_unsigned) return append_sql_literal(c, as_unsigned(c, row[i]), out);
  return append_sql_literal(c, row[i], out);
}

result<void> append_values(const binlog::table_map_event& map, const table_schema& s,
                           const binlog::row_image& row, std::string& out) {
  out += '(';
  bool first = true;
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (!present(row[i])) continue;
    if (!first) out += ',';
    first = false;
    if (auto r = append_value(map, s, row, i, out); !r) return r;
  }
  out += ')';
  return {};
}

// `col = v` pairs joined by `sep`, for the columns in `which` present in `row`.
result<void> append_assignments(const binlog::table_map_event& map, const table_schema& s,
                                const binlog::row_image& row, const std::vector<std::size_t>& which,
                                std::string_view sep, bool null_safe, std::string& out) {
  bool first = true;
  for (std::size_t i : which) {
    if (!present(row[i])) continue;
    if (!first) out += sep;
    first = false;
    append_identifier(s.columns[i], out);
    out += null_safe && row[i].kind == value_kind::null ? "<=>" : "=";
    if (auto r = append_value(map, s, row, i, out); !r) return r;
  }
  return {};
}

std::vector<std::size_t> all_columns(std::size_t n) {
  std::vector<std::size_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = i;
  return v;
}

result<void> append_where(const binlog::table_map_event& map, const table_schema& s,
                          const binlog::row_image& before, std::string& out) {
  bool key_present = !s.key.empty();
  for (std::size_t i : s.key) key_present = key_present && present(before[i]);
  out += " WHERE ";
  if (key_present) return append_assignments(map, s, before, s.key, " AND ", false, out);
  return append_assignments(map, s, before, all_columns(before.size()), " AND ", true, out);
}

result<void> append_insert_header(const table_schema& s, const binlog::row_image& row,
                                  std::string& out) {
  out += "INSERT INTO ";
  append_table(s, out);
  out += " (";
  bool first = true;
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (!present(row[i])) continue;
    if (!first) out += ',';
    first = false;
    append_identifier(s.columns[i], out);
  }
  out += ") VALUES ";
  return {};
}

result<void> append_row(const binlog::rows_event& ev, const binlog::table_map_event& map,
                        const table_schema& s, const binlog::row_change& row, std::string& out) {
  if (ev.kind == binlog::rows_kind::delete_) {
    out += "DELETE FROM ";
    append_table(s, out);
  } else {
    out += "UPDATE ";
    append_table(s, out);
    out += " SET ";
    auto r = append_assignments(map, s, row.after, all_columns(row.after.size()), ",", false, out);
    if (!r) return r;
  }
  if (auto r = append_where(map, s, row.before, out); !r) return r;
  out += " LIMIT 1";
  return {};
}

}  // namespace

result<void> append_rows_sql(const binlog::rows_event& ev, const binlog::table_map_event& map,
                             const table_schema& schema, const statement_origin& origin,
                             sql_batch& out) {
  if (map.columns.size() != schema.columns.size()) {
    return make_error(errc::invalid_argument,
                      "table {}.{} has {} columns in the binlog but {} on the downstream",
                      schema.db, schema.table, map.columns.size(), schema.columns.size());
  }
  binlog::row_reader reader(ev, map);
  binlog::row_change row;
  std::string statement;
  bool insert = ev.kind == binlog::rows_kind::write;
  while (!reader.done()) {
    if (auto r = reader.next(row); !r) return r;
    if (insert) {
      if (statement.empty()) (void)append_insert_header(schema, row.after, statement);
      else statement += ',';
      if (auto r = append_values(map, schema, row.after, statement); !r) return r;
      continue;
    }
    statement.clear();
    if (auto r = append_row(ev, map, schema, row, statement); !r) return r;
    statement_origin o = origin;
    o.expected_rows = 1;
    out.add(statement, std::move(o));
  }
  if (insert && !statement.empty()) out.add(statement, origin);
  return {};
}

}  // namespace binrelay::applier
