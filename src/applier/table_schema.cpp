#include "applier/table_schema.h"

#include <algorithm>

#include <fmt/format.h>

namespace binrelay::applier {
namespace {

void append_string_literal(std::string_view s, std::string& out) {
  out += '\'';
  for (char ch : s) {
    if (ch == '\'' || ch == '\\') out += ch;
    out += ch;
  }
  out += '\'';
}

std::string where_table(std::string_view db, std::string_view table) {
  std::string w = "TABLE_SCHEMA = ";
  append_string_literal(db, w);
  w += " AND TABLE_NAME = ";
  append_string_literal(table, w);
  return w;
}

struct index_part {
  std::string name;
  bool unique = false;
  std::string column;
  bool nullable = false;
  bool prefix = false;
};

// Column indexes of the best key, or empty.
std::vector<std::size_t> choose_key(const std::vector<index_part>& parts,
                                    const std::vector<std::string>& columns) {
  std::vector<std::size_t> best;
  std::string current;
  std::vector<std::size_t> key;
  bool usable = false;
  auto finish = [&] {
    if (usable && !key.empty() && (best.empty() || current == "PRIMARY")) best = key;
  };
  for (const auto& p : parts) {
    if (p.name != current) {
      finish();
      if (current == "PRIMARY" && !best.empty()) return best;
      current = p.name;
      key.clear();
      usable = p.unique;
    }
    auto it = std::find(columns.begin(), columns.end(), p.column);
    if (it == columns.end() || p.nullable || p.prefix)
      usable = false;
    else
      key.push_back(static_cast<std::size_t>(it - columns.begin()));
  }
  finish();
  return best;
}

}  // namespace

std::string schema_query(std::string_view db, std::string_view table) {
  std::string w = where_table(db, table);
  return fmt::format(
      "SELECT COLUMN_NAME, COLUMN_TYPE LIKE '%unsigned%' FROM information_schema.COLUMNS WHERE {0} "
      "ORDER BY ORDINAL_POSITION;"
      "SELECT INDEX_NAME, NON_UNIQUE, COLUMN_NAME, NULLABLE, SUB_PART FROM "
      "information_schema.STATISTICS WHERE {0} ORDER BY INDEX_NAME <> 'PRIMARY', INDEX_NAME, "
      "SEQ_IN_INDEX",
      w);
}

result<table_schema> parse_schema(std::string_view db, std::string_view table,
                                  const protocol::query_result& columns,
                                  const protocol::query_result& indexes) {
  table_schema s{std::string(db), std::string(table), {}, {}, {}};
  for (const auto& row : columns.rows) {
    s.columns.push_back(row.at(0).value_or(""));
    s.unsigned_columns.push_back(row.size() > 1 && row[1].value_or("0") == "1");
  }
  if (s.columns.empty()) {
    return make_error(errc::not_found, "Table '{}.{}' doesn't exist on the downstream", db, table);
  }
  std::vector<index_part> parts;
  for (const auto& row : indexes.rows) {
    if (row.size() < 5) return make_error(errc::protocol_error, "short information_schema row");
    parts.push_back({row[0].value_or(""), row[1].value_or("1") == "0", row[2].value_or(""),
                     row[3].value_or("") == "YES", row[4].has_value()});
  }
  s.key = choose_key(parts, s.columns);
  return s;
}

const table_schema* schema_cache::find(std::string_view db, std::string_view table) const {
  auto it = tables_.find(std::pair<std::string, std::string>(db, table));
  return it == tables_.end() ? nullptr : it->second.get();
}

const table_schema* schema_cache::add(table_schema s) {
  auto key = std::make_pair(s.db, s.table);
  auto& slot = tables_[key];
  slot = std::make_unique<table_schema>(std::move(s));
  return slot.get();
}

}  // namespace binrelay::applier
