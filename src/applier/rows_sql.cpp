#include "applier/rows_sql.h"

#include <algorithm>
#include <cstring>
#include <optional>

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

bool same_time(const binlog::temporal_value& a, const binlog::temporal_value& b) {
  return a.year == b.year && a.hour == b.hour && a.micro == b.micro && a.month == b.month &&
         a.day == b.day && a.minute == b.minute && a.second == b.second && a.negative == b.negative;
}

bool same_value(const binlog::column_value& a, const binlog::column_value& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case value_kind::absent:
    case value_kind::null: return true;
    case value_kind::int_:
    case value_kind::uint_:
    case value_kind::year: return a.u == b.u;
    case value_kind::timestamp: return a.u == b.u && a.t.micro == b.t.micro;
    case value_kind::float_: return std::memcmp(&a.f, &b.f, sizeof a.f) == 0;
    case value_kind::double_: return std::memcmp(&a.d, &b.d, sizeof a.d) == 0;
    case value_kind::date:
    case value_kind::time:
    case value_kind::datetime: return same_time(a.t, b.t);
    default: return std::equal(a.bytes.begin(), a.bytes.end(), b.bytes.begin(), b.bytes.end());
  }
}

// Columns of the after image that differ from the before image (at least one column, so the
// statement stays valid; an UPDATE that changes nothing still matches its row).
std::vector<std::size_t> changed_columns(const binlog::row_change& row) {
  std::vector<std::size_t> out;
  std::optional<std::size_t> first;
  for (std::size_t i = 0; i < row.after.size(); ++i) {
    if (!present(row.after[i])) continue;
    if (!first) first = i;
    if (i >= row.before.size() || !same_value(row.before[i], row.after[i])) out.push_back(i);
  }
  if (out.empty() && first) out.push_back(*first);
  return out;
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
    auto r = append_assignments(map, s, row.after, changed_columns(row), ",", false, out);
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
