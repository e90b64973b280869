#include "applier/rows_sql.h"

#include <algorithm>
#include <cstring>
#include <optional>

#include "applier/json_diff_sql.h"
#include "applier/sql_literal.h"
#include "applier/sql_param.h"

namespace binrelay::applier {
namespace {

using binlog::value_kind;

// One statement being written: values go in as literals (text form) or as '?' and a bound
// parameter (prepared form).
struct statement_builder {
  const binlog::table_map_event& map;
  const table_schema& s;
  rows_form form;
  std::string sql;
  std::vector<protocol::param_value> params;

  result<void> value(const binlog::row_image& row, std::size_t i) {
    const auto& c = map.columns[i];
    const binlog::column_value& v = row[i];
    if (v.kind == value_kind::json_diff) {
      return append_json_diff(s.columns[i], v.bytes, form, sql, params);
    }
    bool widen = s.unsigned_columns[i] && !c.is_unsigned;
    if (form == rows_form::text) {
      return append_sql_literal(c, widen ? as_unsigned(c, v) : v, sql);
    }
    auto p = to_param(c, widen ? as_unsigned(c, v) : v);
    if (!p) return std::move(p).error();
    sql += '?';
    params.push_back(std::move(*p));
    return {};
  }
  void clear() {
    sql.clear();
    params.clear();
  }
};

void append_table(const table_schema& s, std::string& out) {
  append_identifier(s.db, out);
  out += '.';
  append_identifier(s.table, out);
}

bool present(const binlog::column_value& v) {
  return v.kind != value_kind::absent;
}

result<void> append_values(const binlog::row_image& row, statement_builder& b) {
  b.sql += '(';
  bool first = true;
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (!present(row[i])) continue;
    if (!first) b.sql += ',';
    first = false;
    if (auto r = b.value(row, i); !r) return r;
  }
  b.sql += ')';
  return {};
}

// `col = v` pairs joined by `sep`, for the columns in `which` present in `row`.
result<void> append_assignments(const binlog::row_image& row, const std::vector<std::size_t>& which,
                                std::string_view sep, bool null_safe, statement_builder& b) {
  bool first = true;
  for (std::size_t i : which) {
    if (!present(row[i])) continue;
    if (!first) b.sql += sep;
    first = false;
    append_identifier(b.s.columns[i], b.sql);
    b.sql += null_safe && row[i].kind == value_kind::null ? "<=>" : "=";
    if (auto r = b.value(row, i); !r) return r;
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
    case value_kind::null:
      return true;
    case value_kind::int_:
    case value_kind::uint_:
    case value_kind::year:
      return a.u == b.u;
    case value_kind::timestamp:
      return a.u == b.u && a.t.micro == b.t.micro;
    case value_kind::float_:
      return std::memcmp(&a.f, &b.f, sizeof a.f) == 0;
    case value_kind::double_:
      return std::memcmp(&a.d, &b.d, sizeof a.d) == 0;
    case value_kind::date:
    case value_kind::time:
    case value_kind::datetime:
      return same_time(a.t, b.t);
    default:
      return std::equal(a.bytes.begin(), a.bytes.end(), b.bytes.begin(), b.bytes.end());
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

result<void> append_where(const binlog::row_image& before, statement_builder& b) {
  bool key_present = !b.s.key.empty();
  for (std::size_t i : b.s.key) key_present = key_present && present(before[i]);
  b.sql += " WHERE ";
  if (key_present) return append_assignments(before, b.s.key, " AND ", false, b);
  return append_assignments(before, all_columns(before.size()), " AND ", true, b);
}

void append_insert_header(const table_schema& s, const binlog::row_image& row, std::string& out) {
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
}

result<void> append_row(const binlog::rows_event& ev, const binlog::row_change& row,
                        statement_builder& b) {
  if (ev.kind == binlog::rows_kind::delete_) {
    b.sql += "DELETE FROM ";
    append_table(b.s, b.sql);
  } else {
    b.sql += "UPDATE ";
    append_table(b.s, b.sql);
    b.sql += " SET ";
    if (auto r = append_assignments(row.after, changed_columns(row), ",", false, b); !r) return r;
  }
  if (auto r = append_where(row.before, b); !r) return r;
  b.sql += " LIMIT 1";
  return {};
}

void flush(statement_builder& b, const statement_origin& origin, sql_batch& out) {
  if (b.form == rows_form::text) {
    out.add(b.sql, origin);
  } else {
    out.add_prepared(std::move(b.sql), std::move(b.params), origin);
  }
  b.clear();
}

}  // namespace

result<void> append_rows_sql(const binlog::rows_event& ev, const binlog::table_map_event& map,
                             const table_schema& schema, const statement_origin& origin,
                             sql_batch& out, rows_form form) {
  if (map.columns.size() != schema.columns.size()) {
    return make_error(errc::invalid_argument,
                      "table {}.{} has {} columns in the binlog but {} on the downstream",
                      schema.db, schema.table, map.columns.size(), schema.columns.size());
  }
  binlog::row_reader reader(ev, map);
  binlog::row_change row;
  statement_builder b{map, schema, form, {}, {}};
  bool insert = ev.kind == binlog::rows_kind::write;
  std::size_t rows = 0;
  std::size_t max_rows = form == rows_form::prepared ? prepared_insert_rows : SIZE_MAX;
  while (!reader.done()) {
    if (auto r = reader.next(row); !r) return r;
    if (insert) {
      if (rows == max_rows) {
        flush(b, origin, out);
        rows = 0;
      }
      if (rows++ == 0)
        append_insert_header(schema, row.after, b.sql);
      else
        b.sql += ',';
      if (auto r = append_values(row.after, b); !r) return r;
      continue;
    }
    if (auto r = append_row(ev, row, b); !r) return r;
    statement_origin o = origin;
    o.expected_rows = 1;
    flush(b, o, out);
  }
  if (insert && rows > 0) flush(b, origin, out);
  return {};
}

}  // namespace binrelay::applier
