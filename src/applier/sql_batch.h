#pragma once
// sql_batch: the statements one transaction sends to the downstream, with where each
// statement came from, so an error or a row count that does not match names the event, the
// table and the relay position as MySQL's replica does. A statement is SQL text, or the text
// of a prepared statement (with '?' markers) and the binary values bound to it.

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "protocol/prepared_statement.h"

namespace binrelay::applier {

struct statement_origin {
  std::string event;  // "Update_rows_v1", "Query", "" for the applier's own
  std::string db;
  std::string table;
  std::uint64_t end_log_pos = 0;
  std::uint64_t expected_rows = 0;  // rows the statement must match; 0 = not checked
};

struct batch_statement {
  std::string sql;
  std::vector<protocol::param_value> params;
  bool prepared = false;
  statement_origin origin;
};

struct sql_batch {
  std::vector<batch_statement> statements;

  // Appends one text statement (without a separator).
  void add(std::string_view statement, statement_origin origin = {}) {
    statements.push_back({std::string(statement), {}, false, std::move(origin)});
  }
  // Appends one execution of the prepared statement `sql`.
  void add_prepared(std::string sql, std::vector<protocol::param_value> params,
                    statement_origin origin) {
    statements.push_back({std::move(sql), std::move(params), true, std::move(origin)});
  }
  bool empty() const { return statements.empty(); }
  // Whether some statement's matched rows must be checked before COMMIT.
  bool checks_rows() const {
    return std::any_of(statements.begin(), statements.end(),
                       [](const batch_statement& s) { return s.origin.expected_rows > 0; });
  }
};

}  // namespace binrelay::applier
