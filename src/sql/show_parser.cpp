// SHOW statements of the admin SQL subset (docs/admin-sql.md):
//   SHOW [GLOBAL | SESSION | LOCAL] {VARIABLES | STATUS} [LIKE 'pattern' | WHERE expr]
//   SHOW {SLAVE | REPLICA} STATUS | SHOW ALL SLAVES STATUS (MariaDB)
//           SHOW {SLAVE HOSTS | REPLICAS}
//   SHOW REPLICA SOURCES
//   SHOW MASTER STATUS | SHOW BINARY LOG STATUS
//   SHOW [FULL] PROCESSLIST
//   SHOW {BINARY | MASTER} LOGS
//   SHOW BINLOG EVENTS [IN 'file'] [FROM pos] [LIMIT [offset,] row_count]

#include "sql/parser_cursor.h"

namespace binrelay::sql {
namespace {

result<statement> parse_show_variables(parser_cursor& in, var_scope scope, bool status) {
  show_variables_statement s;
  s.status = status;
  s.scope = scope;
  if (in.accept_keyword("LIKE")) {
    auto pattern = in.expect_string();
    if (!pattern) return pattern.error();
    s.like = std::move(*pattern);
  } else if (in.accept_keyword("WHERE")) {
    auto condition = parse_expression(in);
    if (!condition) return condition.error();
    s.where = std::move(*condition);
  }
  return statement(std::move(s));
}

result<statement> parse_binlog_events(parser_cursor& in) {
  show_binlog_events_statement s;
  if (in.accept_keyword("IN")) {
    auto file = in.expect_string();
    if (!file) return file.error();
    s.file = std::move(*file);
  }
  if (in.accept_keyword("FROM")) {
    auto from = in.expect_unsigned();
    if (!from) return from.error();
    s.from = *from;
  }
  if (in.accept_keyword("LIMIT")) {
    auto first = in.expect_unsigned();
    if (!first) return first.error();
    s.limit = *first;
    if (in.accept_symbol(",")) {
      auto count = in.expect_unsigned();
      if (!count) return count.error();
      s.offset = *first;
      s.limit = *count;
    }
  }
  return statement(std::move(s));
}

// After SLAVE or REPLICA.
result<statement> parse_show_replica(parser_cursor& in, wording words) {
  if (in.accept_keyword("STATUS")) return statement(show_replica_status_statement{words});
  if (words == wording::modern && in.accept_keyword("SOURCES"))
    return statement(show_replica_sources_statement{});
  if (words == wording::legacy && in.accept_keyword("HOSTS")) {
    return statement(show_replicas_statement{words});
  }
  return in.unsupported();
}

}  // namespace

result<statement> parse_show(parser_cursor& in) {
  std::string scope = to_lower(in.accept_any_keyword({"GLOBAL", "SESSION", "LOCAL"}));
  bool status = in.is_keyword("STATUS");
  if (status || in.is_keyword("VARIABLES")) {
    in.next();
    return parse_show_variables(in,
                                scope.empty()       ? var_scope::none
                                : scope == "global" ? var_scope::global
                                                    : var_scope::session,
                                status);
  }
  if (!scope.empty()) return in.unsupported();
  if (in.accept_keyword("PROCESSLIST")) return statement(show_processlist_statement{false});
  if (in.is_keyword("FULL") && in.is_keyword("PROCESSLIST", 1)) {
    in.next();
    in.next();
    return statement(show_processlist_statement{true});
  }
  if (in.is_keyword("ALL") && in.is_keyword("SLAVES", 1) && in.is_keyword("STATUS", 2)) {
    for (int i = 0; i < 3; ++i) in.next();
    return statement(show_replica_status_statement{wording::legacy, true});
  }
  if (in.accept_keyword("SLAVE")) return parse_show_replica(in, wording::legacy);
  if (in.accept_keyword("REPLICA")) return parse_show_replica(in, wording::modern);
  if (in.accept_keyword("REPLICAS")) return statement(show_replicas_statement{wording::modern});
  if (in.is_keyword("MASTER") && in.is_keyword("STATUS", 1)) {
    in.next();
    in.next();
    return statement(show_master_status_statement{});
  }
  if (in.is_keyword("BINARY") && in.is_keyword("LOG", 1) && in.is_keyword("STATUS", 2)) {
    for (int i = 0; i < 3; ++i) in.next();
    return statement(show_master_status_statement{});
  }
  if ((in.is_keyword("BINARY") || in.is_keyword("MASTER")) && in.is_keyword("LOGS", 1)) {
    in.next();
    in.next();
    return statement(show_binary_logs_statement{});
  }
  if (in.is_keyword("BINLOG") && in.is_keyword("EVENTS", 1)) {
    in.next();
    in.next();
    return parse_binlog_events(in);
  }
  return in.unsupported();
}

}  // namespace binrelay::sql
