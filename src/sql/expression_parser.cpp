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
//
// Each precedence level is a loop, and a node takes its operands by move, so parsing is linear
// in the number of tokens. Recursion happens only where the grammar nests (a parenthesis, a
// unary operator, an argument or IN list, INTERVAL), each guarded by `nesting` before it
// recurses; every node built checks the height of its tree (sql/limits.h).

#include <algorithm>

#include "sql/parser_cursor.h"

namespace binrelay::sql {
namespace {

using kind = expression::kind;

// An expression and the height of its tree (a leaf is 1).
struct operand {
  expression value;
  std::size_t height = 1;
};

operand leaf(kind type, std::string text) {
  operand o;
  o.value.type = type;
  o.value.text = std::move(text);
  return o;
}

// A node of `type` over `args`, or too_high() when its tree would pass max_expression_height.
// The operands are moved, never copied: copying the left operand of each operator in a chain
// made `1 + 1 + ... + 1` quadratic.
template <class... Operands>
result<operand> node(const parser_cursor& in, kind type, std::string op, Operands... args) {
  operand n = leaf(type, std::move(op));
  n.height = 1 + std::max({args.height...});
  if (n.height > max_expression_height) return in.too_high();
  n.value.args.reserve(sizeof...(args));
  (n.value.args.push_back(std::move(args.value)), ...);
  return n;
}

result<operand> parse_or(parser_cursor& in);
result<operand> parse_not(parser_cursor& in);
result<operand> parse_compare(parser_cursor& in);
result<operand> parse_sum(parser_cursor& in);
result<operand> parse_product(parser_cursor& in);
result<operand> parse_unary(parser_cursor& in);
result<operand> parse_primary(parser_cursor& in);
result<std::size_t> parse_arguments(parser_cursor& in, expression& into, bool star);

// left { op right } for one precedence level, in a loop: the tree is left-deep, one level per
// operator.
template <class Match, class Operand>
result<operand> left_assoc(parser_cursor& in, Match match, Operand parse_operand) {
  auto left = parse_operand(in);
  if (!left) return left;
  while (true) {
    std::string op = match(in);
    if (op.empty()) return left;
    auto right = parse_operand(in);
    if (!right) return right;
    auto joined = node(in, kind::binary, std::move(op), std::move(*left), std::move(*right));
    if (!joined) return joined;
    *left = std::move(*joined);
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

result<operand> parse_and(parser_cursor& in) {
  return left_assoc(in, match_and, parse_not);
}

result<operand> parse_or(parser_cursor& in) {
  return left_assoc(in, match_or, parse_and);
}

result<operand> parse_not(parser_cursor& in) {
  if (!in.is_keyword("NOT")) return parse_compare(in);
  nesting level(in);
  if (!level.ok()) return in.too_deep();
  in.next();
  auto inner = parse_not(in);
  if (!inner) return inner;
  return node(in, kind::unary, "NOT", std::move(*inner));
}

result<operand> parse_in_list(parser_cursor& in) {
  nesting level(in);
  if (!level.ok()) return in.too_deep();
  if (auto r = in.expect_symbol("("); !r) return r.error();
  operand list = leaf(kind::list, "");
  do {
    auto item = parse_or(in);
    if (!item) return item;
    list.height = std::max(list.height, 1 + item->height);
    if (list.height > max_expression_height) return in.too_high();
    list.value.args.push_back(std::move(item->value));
  } while (in.accept_symbol(","));
  if (auto r = in.expect_symbol(")"); !r) return r.error();
  return list;
}

// The right-hand side of LIKE / IN after `left`; `negated` by a preceding NOT.
result<operand> parse_predicate(parser_cursor& in, operand left, bool negated) {
  result<operand> right = make_error(errc::invalid_argument, "unreachable");
  std::string op;
  if (in.accept_keyword("LIKE")) {
    op = "LIKE";
    right = parse_sum(in);
    if (right && in.accept_keyword("ESCAPE")) {
      auto escape = in.expect_string();
      if (!escape) return escape.error();
      right = node(in, kind::binary, "ESCAPE", std::move(*right), leaf(kind::string, *escape));
    }
  } else if (in.accept_keyword("IN")) {
    op = "IN";
    right = parse_in_list(in);
  } else {
    return in.syntax_error();
  }
  if (!right) return right;
  auto e = node(in, kind::binary, op, std::move(left), std::move(*right));
  if (!e || !negated) return e;
  return node(in, kind::unary, "NOT", std::move(*e));
}

result<operand> parse_compare(parser_cursor& in) {
  auto left = parse_sum(in);
  if (!left) return left;
  for (std::string_view op : {"=", "<=>", "<>", "!=", "<=", ">=", "<", ">"}) {
    if (!in.accept_symbol(op)) continue;
    auto right = parse_sum(in);
    if (!right) return right;
    return node(in, kind::binary, std::string(op), std::move(*left), std::move(*right));
  }
  if (in.accept_keyword("IS")) {
    bool negated = in.accept_keyword("NOT");
    if (auto r = in.expect_keyword("NULL"); !r) return r.error();
    return node(in, kind::unary, negated ? "IS NOT NULL" : "IS NULL", std::move(*left));
  }
  bool negated = in.is_keyword("NOT") && (in.is_keyword("LIKE", 1) || in.is_keyword("IN", 1));
  if (negated) in.next();
  if (negated || in.is_keyword("LIKE") || in.is_keyword("IN")) {
    return parse_predicate(in, std::move(*left), negated);
  }
  return left;
}

result<operand> parse_sum(parser_cursor& in) {
  return left_assoc(in, match_sum, parse_product);
}

result<operand> parse_product(parser_cursor& in) {
  return left_assoc(in, match_product, parse_unary);
}

result<operand> parse_unary(parser_cursor& in) {
  if (!in.is_symbol("-") && !in.is_symbol("+") && !in.is_symbol("!")) return parse_primary(in);
  nesting level(in);
  if (!level.ok()) return in.too_deep();
  std::string op = in.next().text;
  auto inner = parse_unary(in);
  if (!inner) return inner;
  expression& e = inner->value;
  if (op == "-" && e.type == kind::number && !e.text.starts_with('-')) {
    e.text.insert(0, "-");  // a negative literal
    return inner;
  }
  if (op == "+") return inner;
  return node(in, kind::unary, op == "!" ? "NOT" : "-", std::move(*inner));
}

result<operand> parse_system_variable(parser_cursor& in) {
  operand e = leaf(kind::system_variable, "");
  if (in.is_symbol(".", 1)) {
    std::string scope = to_lower(in.accept_any_keyword({"GLOBAL", "SESSION", "LOCAL"}));
    if (scope.empty()) return in.syntax_error();
    e.value.scope = scope == "global" ? var_scope::global : var_scope::session;
    in.next();  // the '.'
  }
  auto name = in.expect_name();
  if (!name) return name.error();
  e.value.text = to_lower(*name);
  return e;
}

result<operand> parse_call(parser_cursor& in, std::string name) {
  operand call = leaf(kind::function_call, to_upper(name));
  in.next();  // '('
  auto height = parse_arguments(in, call.value, true);
  if (!height) return height.error();
  call.height = 1 + *height;
  return call;
}

result<operand> parse_interval(parser_cursor& in) {
  nesting level(in);
  if (!level.ok()) return in.too_deep();
  auto amount = parse_sum(in);
  if (!amount) return amount;
  auto unit = in.expect_name();
  if (!unit) return unit.error();
  return node(in, kind::function_call, "INTERVAL", std::move(*amount),
              leaf(kind::identifier, to_upper(*unit)));
}

result<operand> parse_name(parser_cursor& in) {
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

result<operand> parse_parenthesized(parser_cursor& in) {
  nesting level(in);
  if (!level.ok()) return in.too_deep();
  in.next();  // '('
  auto inner = parse_or(in);
  if (!inner) return inner;
  if (auto r = in.expect_symbol(")"); !r) return r.error();
  return inner;
}

result<operand> parse_primary(parser_cursor& in) {
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
      if (in.is_symbol("(")) return parse_parenthesized(in);
      break;
    case token_kind::end:
      break;
  }
  return in.syntax_error();
}

// parse_argument_list; returns the greatest height of the arguments (0 for none).
result<std::size_t> parse_arguments(parser_cursor& in, expression& into, bool star) {
  nesting level(in);
  if (!level.ok()) return in.too_deep();
  std::size_t height = 0;
  if (in.accept_symbol(")")) return height;
  do {
    if (star && in.accept_symbol("*")) {
      into.args.push_back(leaf(kind::identifier, "*").value);
      height = std::max<std::size_t>(height, 1);
      continue;
    }
    auto arg = parse_or(in);
    if (!arg) return arg.error();
    if (arg->height + 1 > max_expression_height) return in.too_high();
    height = std::max(height, arg->height);
    into.args.push_back(std::move(arg->value));
  } while (in.accept_symbol(","));
  if (auto r = in.expect_symbol(")"); !r) return r.error();
  return height;
}

}  // namespace

result<expression> parse_expression(parser_cursor& in) {
  auto e = parse_or(in);
  if (!e) return e.error();
  return std::move(e->value);
}

result<void> parse_argument_list(parser_cursor& in, expression& into, bool star) {
  auto height = parse_arguments(in, into, star);
  if (!height) return height.error();
  return {};
}

}  // namespace binrelay::sql
