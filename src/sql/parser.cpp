#include "sql/parser.h"

#include "protocol/server_errors.h"
#include "sql/parser_cursor.h"

namespace binrelay::sql {
namespace {

// Words that end a SELECT item rather than name it.
bool ends_select_item(const parser_cursor& in) {
  for (std::string_view w : {"FROM", "LIMIT", "WHERE", "INTO", "UNION", "GROUP", "ORDER", "HAVING",
                             "FOR", "WINDOW", "LOCK"}) {
    if (in.is_keyword(w)) return true;
  }
  return false;
}

result<set_assignment> parse_variable_value(parser_cursor& in, set_assignment a) {
  if (!in.accept_symbol("=") && !in.accept_symbol(":=")) return in.syntax_error();
  auto value = parse_expression(in);
  if (!value) return value.error();
  a.value = std::move(*value);
  return a;
}

result<set_assignment> parse_names(parser_cursor& in) {
  set_assignment a;
  a.target = set_assignment::target_kind::names;
  auto charset = in.peek().kind == token_kind::string ? in.expect_string() : in.expect_name();
  if (!charset) return charset.error();
  a.name = to_lower(*charset);
  if (in.accept_keyword("COLLATE")) {
    auto collation = in.peek().kind == token_kind::string ? in.expect_string() : in.expect_name();
    if (!collation) return collation.error();
    a.collation = to_lower(*collation);
  }
  return a;
}

result<set_assignment> parse_system_target(parser_cursor& in, var_scope scope) {
  set_assignment a;
  a.target = set_assignment::target_kind::system_variable;
  a.scope = scope;
  if (in.accept_symbol(".")) return in.syntax_error();
  auto name = in.expect_name();
  if (!name) return name.error();
  a.name = to_lower(*name);
  return parse_variable_value(in, std::move(a));
}

result<set_assignment> parse_assignment(parser_cursor& in) {
  if (in.accept_keyword("NAMES")) return parse_names(in);
  if (in.accept_keyword("CHARSET") || (in.is_keyword("CHARACTER") && in.is_keyword("SET", 1))) {
    if (in.accept_keyword("CHARACTER")) in.next();
    auto names = parse_names(in);
    if (names) names->target = set_assignment::target_kind::character_set;
    return names;
  }
  if (in.peek().kind == token_kind::user_variable) {
    set_assignment a;
    a.name = to_lower(in.next().text);
    return parse_variable_value(in, std::move(a));
  }
  if (in.peek().kind == token_kind::at_at) {
    in.next();
    var_scope scope = var_scope::none;
    if (in.is_symbol(".", 1)) {
      std::string s = to_lower(in.accept_any_keyword({"GLOBAL", "SESSION", "LOCAL"}));
      if (s.empty()) return in.syntax_error();
      scope = s == "global" ? var_scope::global : var_scope::session;
      in.next();
    }
    return parse_system_target(in, scope);
  }
  if (in.is_keyword("TRANSACTION", in.is_keyword("GLOBAL") || in.is_keyword("SESSION") ? 1 : 0)) {
    return in.unsupported();
  }
  std::string scope = to_lower(in.accept_any_keyword({"GLOBAL", "SESSION", "LOCAL"}));
  return parse_system_target(in, scope.empty()       ? var_scope::none
                                 : scope == "global" ? var_scope::global
                                                     : var_scope::session);
}

result<statement> parse_set(parser_cursor& in) {
  set_statement s;
  do {
    auto a = parse_assignment(in);
    if (!a) return a.error();
    s.assignments.push_back(std::move(*a));
  } while (in.accept_symbol(","));
  return statement(std::move(s));
}

result<select_item> parse_select_item(parser_cursor& in) {
  std::size_t first = in.position();
  if (in.accept_symbol("*")) {  // only meaningful with FROM
    return select_item{expression{expression::kind::identifier, "*", {}, {}}, {}, "*"};
  }
  auto value = parse_expression(in);
  if (!value) return value.error();
  select_item item{std::move(*value), {}, in.text_since(first)};
  bool explicit_alias = in.accept_keyword("AS");
  const token& t = in.peek();
  bool alias_token = t.kind == token_kind::quoted_identifier || t.kind == token_kind::string ||
                     (t.kind == token_kind::identifier && !ends_select_item(in));
  if (explicit_alias && !alias_token) return in.syntax_error();
  if (alias_token) item.alias = in.next().text;
  return item;
}

// [schema.]table, lower case.
result<std::string> parse_table_name(parser_cursor& in) {
  auto name = in.expect_name();
  if (!name) return name.error();
  std::string table = to_lower(*name);
  if (in.accept_symbol(".")) {
    auto second = in.expect_name();
    if (!second) return second.error();
    table += "." + to_lower(*second);
  }
  return table;
}

result<statement> parse_select(parser_cursor& in) {
  select_statement s;
  do {
    auto item = parse_select_item(in);
    if (!item) return item.error();
    s.items.push_back(std::move(*item));
  } while (in.accept_symbol(","));
  if (in.accept_keyword("FROM")) {
    auto table = parse_table_name(in);
    if (!table) return table.error();
    s.from = std::move(*table);
  }
  if (in.accept_keyword("LIMIT")) {
    auto limit = in.expect_unsigned();
    if (!limit) return limit.error();
    s.limit = *limit;
  }
  if (ends_select_item(in)) return in.unsupported("SELECT ... " + to_upper(in.peek().text));
  return statement(std::move(s));
}

}  // namespace

// Defined in sql_show_parser.cpp and sql_admin_parser.cpp.
result<statement> parse_show(parser_cursor& in);
result<statement> parse_admin(parser_cursor& in, std::string_view verb);

namespace {

result<statement> parse_body(parser_cursor& in) {
  if (in.accept_keyword("SET")) return parse_set(in);
  if (in.accept_keyword("SELECT")) return parse_select(in);
  if (in.accept_keyword("SHOW")) return parse_show(in);
  if (in.accept_keyword("SHUTDOWN")) return statement(shutdown_statement{});
  if (in.is_keyword("KILL") && !in.is_keyword("QUERY", 1)) {
    in.next();
    in.accept_keyword("CONNECTION");
    auto id = in.expect_unsigned();
    if (!id) return id.error();
    if (*id > 0xFFFFFFFFu) return in.syntax_error();
    return statement(kill_statement{static_cast<std::uint32_t>(*id)});
  }
  for (std::string_view verb :
       {"START", "STOP", "CHANGE", "FLUSH", "PURGE", "RESET", "BEGIN", "COMMIT"}) {
    if (in.is_keyword(verb)) return parse_admin(in, verb);
  }
  if (in.peek().kind == token_kind::identifier) return in.unsupported();
  return in.syntax_error();
}

}  // namespace

result<statement> parse_statement(std::string_view sql) {
  auto tokens = tokenize(sql);
  if (!tokens) return tokens.error();
  parser_cursor in(sql, *tokens);
  while (in.accept_symbol(";")) {
  }
  if (in.at_end()) {
    return binrelay::error{errc::invalid_argument, "Query was empty", protocol::er::empty_query};
  }
  auto s = parse_body(in);
  if (!s) return s;
  while (in.accept_symbol(";")) {
  }
  if (!in.at_end()) return in.syntax_error();
  return s;
}

}  // namespace binrelay::sql
