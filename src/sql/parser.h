#pragma once
// The parser of binrelay's admin SQL subset: the statements MySQL 8.0 (before and after the
// 8.0.26 renaming) and MariaDB 10.x replicas send while connecting, and the administration
// statements an operator runs (grammar: docs/admin-sql.md). A real tokenizer (sql_lexer.h) and
// a recursive-descent parser, so spacing, case, comments, quoting and multi-assignment SETs all
// parse; nothing is matched as a whole string.
//
// Errors carry MySQL's error numbers (binrelay::error::server_errno), ready for an ERR packet
// (protocol::to_err_packet):
//   1064 ER_PARSE_ERROR    malformed statement, in MySQL's words "... near '<rest>' at line N";
//                          also a statement past a limit of sql/limits.h (length, tokens,
//                          nesting, tree height), naming the limit before " near"
//   1065 ER_EMPTY_QUERY    "Query was empty" (only comments / semicolons)
//   1235 ER_NOT_SUPPORTED_YET  a statement outside the subset, named by its leading words:
//                              "This version of binrelay doesn't yet support 'SHOW PROCESSLIST'"
// Sans-I/O and stateless; safe to call from any thread. Time and memory are linear in the
// statement's length, stack use bounded by max_nesting_depth.

#include <string_view>

#include "common/result.h"
#include "sql/statement.h"

namespace binrelay::sql {

// One statement, optionally followed by semicolons.
result<statement> parse_statement(std::string_view sql);

}  // namespace binrelay::sql
