// Expressions of the admin SQL subset, by precedence (lowest first):
//   or       := and { (OR | ||) and }
//   and      := not { (AND | &&) not }
//   not      := NOT not | compare
//   compare  := sum [ (= | <=> | <> | != | < | > | <= | >=) sum
//                   | [NOT] LIKE sum [ESCAPE string] | [NOT] IN ( expr, ... ) | IS [NOT] NULL ]
//   sum      := product { (+ | -) product }
//   product  := unary { (* | / | % | DIV | MOD) unary }
//   unary    := (- | + | !) unary | primary
//   primary  := string... | number | NULL | @var | @@[global.|session.|local.]name
//             | name ( [expr, ...] ) | INTERVAL expr unit | name[.name] | ( expr )

#include "sql/parser_cursor.h"

namespace binrelay::sql {
namespace {

using kind = expression::kind;

expression leaf(kind type, std::string text) {
  expression e;
  e.type = type;
  e.text = std::move(text);
  return e;
}

expression node(kind type, std::string op, std::vector<expression> args) {
  expression e = leaf(type, std::move(op));
  e.args = std::move(args);
  return e;
}

result<expression> parse_not(parser_cursor& in);
result<expression> parse_compare(parser_cursor& in);
result<expression> parse_sum(parser_cursor& in);
result<expression> parse_product(parser_cursor& in);
result<expression> parse_unary(parser_cursor& in);
result<expression> parse_primary(parser_cursor& in);

// left { op right } for one precedence level.
template <class Match, class Operand>
result<expression> left_assoc(parser_cursor& in, Match match, Operand operand) {
  auto left = operand(in);
  if (!left) return left;
  while (true) {
    std::string op = match(in);
    if (op.empty()) return left;
    auto right = operand(in);
    if (!right) return right;
    left = node(kind::binary, op, {std::move(*left), std::move(*right)});
  }
}

std::string match_or(parser_cursor& in) {
  if (in.accept_keyword("OR") || in.accept_symbol("||")) return "OR";
  return {};
}
std::string match_and(parser_cursor& in) {
  if (in.accept_keyword("AND") || in.accept_symbol("&&")) return "AND";
  return {};
}
std::string match_sum(parser_cursor& in) {
  for (std::string_view op : {"+", "-"}) {
    if (in.accept_symbol(op)) return std::string(op);
  }
  return {};
}
std::string match_product(parser_cursor& in) {
  for (std::string_view op : {"*", "/", "%"}) {
    if (in.accept_symbol(op)) return std::string(op);
  }
  return to_upper(in.accept_any_keyword({"DIV", "MOD"}));
}

result<expression> parse_and(parser_cursor& in) {
  return left_assoc(in, match_and, parse_not);
}

result<expression> parse_not(parser_cursor& in) {
  if (!in.accept_keyword("NOT")) return parse_compare(in);
  auto operand = parse_not(in);
  if (!operand) return operand;
  return node(kind::unary, "NOT", {std::move(*operand)});
}

result<expression> parse_in_list(parser_cursor& in) {
  if (auto r = in.expect_symbol("("); !r) return r.error();
  expression list = leaf(kind::list, "");
  do {
    auto item = parse_expression(in);
    if (!item) return item;
    list.args.push_back(std::move(*item));
  } while (in.accept_symbol(","));
  if (auto r = in.expect_symbol(")"); !r) return r.error();
  return list;
}

// The right-hand side of LIKE / IN / IS after `left`; `negated` by a preceding NOT.
result<expression> parse_predicate(parser_cursor& in, expression left, bool negated) {
  result<expression> right = make_error(errc::invalid_argument, "unreachable");
  std::string op;
  if (in.accept_keyword("LIKE")) {
    op = "LIKE";
    right = parse_sum(in);
    if (right && in.accept_keyword("ESCAPE")) {
      auto escape = in.expect_string();
      if (!escape) return escape.error();
      right = node(kind::binary, "ESCAPE", {std::move(*right), leaf(kind::string, *escape)});
    }
  } else if (in.accept_keyword("IN")) {
    op = "IN";
    right = parse_in_list(in);
  } else {
    return in.syntax_error();
  }
  if (!right) return right;
  expression e = node(kind::binary, op, {std::move(left), std::move(*right)});
  return negated ? node(kind::unary, "NOT", {std::move(e)}) : e;
}

result<expression> parse_compare(parser_cursor& in) {
  auto left = parse_sum(in);
  if (!left) return left;
  for (std::string_view op : {"=", "<=>", "<>", "!=", "<=", ">=", "<", ">"}) {
    if (!in.accept_symbol(op)) continue;
    auto right = parse_sum(in);
    if (!right) return right;
    return node(kind::binary, std::string(op), {std::move(*left), std::move(*right)});
  }
  if (in.accept_keyword("IS")) {
    bool negated = in.accept_keyword("NOT");
    if (auto r = in.expect_keyword("NULL"); !r) return r.error();
    return node(kind::unary, negated ? "IS NOT NULL" : "IS NULL", {std::move(*left)});
  }
  bool negated = in.is_keyword("NOT") && (in.is_keyword("LIKE", 1) || in.is_keyword("IN", 1));
  if (negated) in.next();
  if (negated || in.is_keyword("LIKE") || in.is_keyword("IN")) {
    return parse_predicate(in, std::move(*left), negated);
  }
  return left;
}

result<expression> parse_sum(parser_cursor& in) {
  return left_assoc(in, match_sum, parse_product);
}

result<expression> parse_product(parser_cursor& in) {
  return left_assoc(in, match_product, parse_unary);
}

result<expression> parse_unary(parser_cursor& in) {
  for (std::string_view op : {"-", "+", "!"}) {
    if (!in.accept_symbol(op)) continue;
    auto operand = parse_unary(in);
    if (!operand) return operand;
    if (op == "-" && operand->type == kind::number && !operand->text.starts_with('-')) {
      operand->text.insert(0, "-");  // a negative literal
      return operand;
    }
    if (op == "+") return operand;
    return node(kind::unary, op == "!" ? "NOT" : "-", {std::move(*operand)});
  }
  return parse_primary(in);
}

result<expression> parse_system_variable(parser_cursor& in) {
  expression e = leaf(kind::system_variable, "");
  if (in.is_symbol(".", 1)) {
    std::string scope = to_lower(in.accept_any_keyword({"GLOBAL", "SESSION", "LOCAL"}));
    if (scope.empty()) return in.syntax_error();
    e.scope = scope == "global" ? var_scope::global : var_scope::session;
    in.next();  // the '.'
  }
  auto name = in.expect_name();
  if (!name) return name.error();
  e.text = to_lower(*name);
  return e;
}

result<expression> parse_call(parser_cursor& in, std::string name) {
  expression call = leaf(kind::function_call, to_upper(name));
  in.next();  // '('
  if (auto r = parse_argument_list(in, call, true); !r) return r.error();
  return call;
}

result<expression> parse_interval(parser_cursor& in) {
  auto amount = parse_sum(in);
  if (!amount) return amount;
  auto unit = in.expect_name();
  if (!unit) return unit.error();
  return node(kind::function_call, "INTERVAL",
              {std::move(*amount), leaf(kind::identifier, to_upper(*unit))});
}

result<expression> parse_name(parser_cursor& in) {
  std::string name = in.next().text;
  if (in.is_symbol("(")) return parse_call(in, std::move(name));
  if (iequals(name, "NULL")) return leaf(kind::null, "NULL");
  if (iequals(name, "INTERVAL")) return parse_interval(in);
  if (in.accept_symbol(".")) {
    auto member = in.expect_name();
    if (!member) return member.error();
    name += "." + *member;
  }
  return leaf(kind::identifier, std::move(name));
}

result<expression> parse_primary(parser_cursor& in) {
  const token& t = in.peek();
  switch (t.kind) {
    case token_kind::string: {
      auto value = in.expect_string();
      if (!value) return value.error();
      return leaf(kind::string, std::move(*value));
    }
    case token_kind::number:
      return leaf(kind::number, in.next().text);
    case token_kind::user_variable:
      return leaf(kind::user_variable, to_lower(in.next().text));
    case token_kind::at_at:
      in.next();
      return parse_system_variable(in);
    case token_kind::identifier:
      return parse_name(in);
    case token_kind::quoted_identifier:
      return leaf(kind::identifier, in.next().text);
    case token_kind::symbol:
      if (in.accept_symbol("(")) {
        auto inner = parse_expression(in);
        if (!inner) return inner;
        if (auto r = in.expect_symbol(")"); !r) return r.error();
        return inner;
      }
      break;
    case token_kind::end:
      break;
  }
  return in.syntax_error();
}

}  // namespace

result<expression> parse_expression(parser_cursor& in) {
  return left_assoc(in, match_or, parse_and);
}

result<void> parse_argument_list(parser_cursor& in, expression& into, bool star) {
  if (in.accept_symbol(")")) return {};
  do {
    if (star && in.accept_symbol("*")) {
      into.args.push_back(leaf(kind::identifier, "*"));
      continue;
    }
    auto arg = parse_expression(in);
    if (!arg) return arg.error();
    into.args.push_back(std::move(*arg));
  } while (in.accept_symbol(","));
  return in.expect_symbol(")");
}

}  // namespace binrelay::sql
