// Replication administration statements of the admin SQL subset (docs/admin-sql.md):
//   START {SLAVE | REPLICA} [thread [, thread]]   STOP {SLAVE | REPLICA} [thread [, thread]]
//       thread := IO_THREAD | SQL_THREAD
//   CHANGE MASTER TO opt = value [, ...]          CHANGE REPLICATION SOURCE TO opt = value [, ...]
//       value := expr | ( expr [, ...] )
//   FLUSH [NO_WRITE_TO_BINLOG | LOCAL] {BINARY LOGS | LOGS}
//   PURGE {BINARY | MASTER} LOGS {TO 'file' | BEFORE expr}
//   RESET {SLAVE | REPLICA} [ALL]
//   BEGIN [WORK] | START TRANSACTION | COMMIT [WORK]

#include "sql/parser_cursor.h"

namespace binrelay::sql {
namespace {

// SLAVE / REPLICA; nullopt when neither is next.
std::optional<wording> accept_replica_word(parser_cursor& in) {
  if (in.accept_keyword("SLAVE")) return wording::legacy;
  if (in.accept_keyword("REPLICA")) return wording::modern;
  return std::nullopt;
}

result<statement> parse_replica_control(parser_cursor& in, bool start) {
  auto words = accept_replica_word(in);
  if (!words) return in.unsupported();
  replica_control_statement s{start, *words, replica_threads::both};
  bool io = false;
  bool sql = false;
  do {
    if (in.accept_keyword("IO_THREAD")) {
      io = true;
    } else if (in.accept_keyword("SQL_THREAD")) {
      sql = true;
    } else if (io || sql) {
      return in.syntax_error();
    }
  } while ((io || sql) && in.accept_symbol(","));
  if (io != sql) s.threads = io ? replica_threads::io : replica_threads::sql;
  return statement(std::move(s));
}

result<expression> parse_option_value(parser_cursor& in) {
  if (!in.accept_symbol("(")) return parse_expression(in);
  expression list;
  list.type = expression::kind::list;
  if (auto r = parse_argument_list(in, list); !r) return r.error();
  return list;
}

result<statement> parse_change(parser_cursor& in) {
  change_source_statement s;
  if (in.accept_keyword("MASTER")) {
    s.words = wording::legacy;
  } else if (in.accept_keyword("REPLICATION")) {
    s.words = wording::modern;
    if (auto r = in.expect_keyword("SOURCE"); !r) return r.error();
  } else {
    return in.unsupported();
  }
  if (auto r = in.expect_keyword("TO"); !r) return r.error();
  do {
    auto name = in.expect_name();
    if (!name) return name.error();
    if (auto r = in.expect_symbol("="); !r) return r.error();
    auto value = parse_option_value(in);
    if (!value) return value.error();
    s.options.push_back({to_upper(*name), std::move(*value)});
  } while (in.accept_symbol(","));
  return statement(std::move(s));
}

result<statement> parse_purge(parser_cursor& in) {
  if (in.accept_any_keyword({"BINARY", "MASTER"}).empty()) return in.unsupported();
  if (auto r = in.expect_keyword("LOGS"); !r) return r.error();
  purge_binary_logs_statement s;
  if (in.accept_keyword("TO")) {
    auto file = in.expect_string();
    if (!file) return file.error();
    s.to_file = std::move(*file);
    return statement(std::move(s));
  }
  if (auto r = in.expect_keyword("BEFORE"); !r) return r.error();
  auto before = parse_expression(in);
  if (!before) return before.error();
  s.before = std::move(*before);
  return statement(std::move(s));
}

result<statement> parse_reset(parser_cursor& in) {
  auto words = accept_replica_word(in);
  if (!words) return in.unsupported();
  return statement(reset_replica_statement{*words, in.accept_keyword("ALL")});
}

// FLUSH [NO_WRITE_TO_BINLOG | LOCAL] {BINARY LOGS | LOGS}: both rotate the relay log (the
// only log binrelayd flushes).
result<statement> parse_flush(parser_cursor& in) {
  in.accept_any_keyword({"NO_WRITE_TO_BINLOG", "LOCAL"});
  if (in.accept_keyword("LOGS")) return statement(flush_binary_logs_statement{});
  if (!in.accept_keyword("BINARY")) return in.unsupported();
  if (auto r = in.expect_keyword("LOGS"); !r) return r.error();
  return statement(flush_binary_logs_statement{});
}

}  // namespace

result<statement> parse_admin(parser_cursor& in, std::string_view verb) {
  in.next();  // the verb
  if (verb == "START" && in.accept_keyword("TRANSACTION")) return statement(begin_statement{});
  if (verb == "START" || verb == "STOP") return parse_replica_control(in, verb == "START");
  if (verb == "CHANGE") return parse_change(in);
  if (verb == "FLUSH") return parse_flush(in);
  if (verb == "PURGE") return parse_purge(in);
  if (verb == "RESET") return parse_reset(in);
  in.accept_keyword("WORK");
  if (verb == "BEGIN") return statement(begin_statement{});
  return statement(commit_statement{});
}

}  // namespace binrelay::sql
