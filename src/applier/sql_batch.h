#pragma once
// sql_batch: the statements one transaction sends to the downstream, as one multi-statement
// text, with where each statement came from, so an error or a row count that does not match
// names the event, the table and the relay position as MySQL's replica does.

#include <cstdint>
#include <string>
#include <vector>

namespace binrelay::applier {

struct statement_origin {
  std::string event;           // "Update_rows_v1", "Query", "" for the applier's own
  std::string db;
  std::string table;
  std::uint64_t end_log_pos = 0;
  std::uint64_t expected_rows = 0;  // rows the statement must match; 0 = not checked
};

struct sql_batch {
  std::string sql;  // statements separated by ';'
  std::vector<statement_origin> origins;

  // Appends one statement (without the separator).
  void add(std::string_view statement, statement_origin origin = {}) {
    if (!sql.empty()) sql += ';';
    sql += statement;
    origins.push_back(std::move(origin));
  }
  bool empty() const { return origins.empty(); }
};

}  // namespace binrelay::applier
