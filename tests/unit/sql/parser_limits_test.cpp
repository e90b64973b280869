// The parser's limits (sql/limits.h, docs/admin-sql.md "Limits"): deep nesting of every kind is
// refused before it can exhaust the stack, long statements parse in linear time, and statements
// at a limit still parse.

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <string_view>

#include "sql/lexer.h"
#include "sql/limits.h"
#include "sql/parser.h"

using namespace binrelay;
using namespace binrelay::sql;

namespace {

// How one kind of nesting opens and closes a level around an inner expression.
struct nesting_kind {
  const char* name;
  std::string_view open;
  std::string_view close;
};

const nesting_kind nesting_kinds[] = {
    {"parentheses", "(", ")"},
    {"NOT", "NOT ", ""},
    {"unary minus", "- ", ""},
    {"unary plus", "+ ", ""},
    {"!", "!", ""},
    {"function arguments", "f(", ")"},
    {"IN lists", "1 IN (", ")"},
    {"INTERVAL", "INTERVAL ", " DAY"},
};

std::string repeated(std::string_view s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

std::string nested(const nesting_kind& k, std::size_t levels) {
  return "SELECT " + repeated(k.open, levels) + "1" + repeated(k.close, levels);
}

// `1 <op> 1 <op> ... 1` with `terms` terms.
std::string chain(std::size_t terms, std::string_view op = "+") {
  std::string out = "1";
  out.reserve(terms * (op.size() + 1));
  for (std::size_t i = 1; i < terms; ++i) (out += op) += "1";
  return out;
}

bool names_limit(const binrelay::error& e, std::string_view limit) {
  return e.server_errno == 1064 && e.message.starts_with(limit) &&
         e.message.find(" near '") != std::string::npos && e.message.ends_with("' at line 1");
}

const std::string too_deep = "Expression nested deeper than binrelay's limit of 64 levels";
const std::string too_high = "Expression of more than binrelay's limit of 1024 levels of operators";
const std::string too_many_tokens = "Statement of more than binrelay's limit of 65536 tokens";
const std::string too_long = "Statement longer than binrelay's limit of 1048576 bytes";

double elapsed_ms(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - since)
      .count();
}

// Generous for a loaded two-core machine and an unoptimised build; the quadratic parser this
// replaces took seconds for each of the statements timed here.
constexpr double time_bound_ms = 500;

}  // namespace

TEST_CASE("sql_limits: the limits are the documented values") {
  CHECK(max_statement_bytes == 1048576);
  CHECK(max_statement_tokens == 65536);
  CHECK(max_nesting_depth == 64);
  CHECK(max_expression_height == 1024);
}

TEST_CASE("sql_limits: nesting of every kind up to the limit parses") {
  for (const auto& k : nesting_kinds) {
    INFO(k.name);
    auto s = parse_statement(nested(k, max_nesting_depth));
    if (!s) FAIL(s.error().message);
    s = parse_statement(nested(k, max_nesting_depth - 1));
    if (!s) FAIL(s.error().message);
  }
}

TEST_CASE("sql_limits: one level of nesting past the limit is refused near the level") {
  for (const auto& k : nesting_kinds) {
    INFO(k.name);
    std::string sql = nested(k, max_nesting_depth + 1);
    auto s = parse_statement(sql);
    REQUIRE_FALSE(s);
    CHECK(names_limit(s.error(), too_deep));
    // Near a token of the level past the limit: after "SELECT " and 64 levels.
    std::size_t first = 7 + k.open.size() * max_nesting_depth;
    bool near_level = false;
    for (std::size_t at = first; at <= first + k.open.size(); ++at) {
      near_level |=
          s.error().message.find(" near '" + sql.substr(at, 80) + "'") != std::string::npos;
    }
    CHECK(near_level);
  }
}

TEST_CASE("sql_limits: 10,000 levels of nesting of every kind are refused without a crash") {
  for (const auto& k : nesting_kinds) {
    INFO(k.name);
    auto start = std::chrono::steady_clock::now();
    auto s = parse_statement(nested(k, 10000));
    CHECK(elapsed_ms(start) < time_bound_ms);
    REQUIRE_FALSE(s);
    CHECK(names_limit(s.error(), too_deep));
  }
}

TEST_CASE("sql_limits: 1,000,000 levels of nesting of every kind are refused without a crash") {
  // Past the token or byte limit already, which the lexer finds before the parser recurses.
  for (const auto& k : nesting_kinds) {
    INFO(k.name);
    auto start = std::chrono::steady_clock::now();
    auto s = parse_statement(nested(k, 1000000));
    CHECK(elapsed_ms(start) < time_bound_ms);
    REQUIRE_FALSE(s);
    CHECK((names_limit(s.error(), too_many_tokens) || names_limit(s.error(), too_long)));
  }
}

TEST_CASE("sql_limits: mixed kinds of nesting count together") {
  std::string half_parens = repeated("(", 32);
  std::string sql = "SELECT " + half_parens + repeated("NOT ", 32) + "1" + repeated(")", 32);
  CHECK(parse_statement(sql));
  sql = "SELECT " + half_parens + repeated("NOT ", 33) + "1" + repeated(")", 32);
  auto s = parse_statement(sql);
  REQUIRE_FALSE(s);
  CHECK(names_limit(s.error(), too_deep));
}

TEST_CASE("sql_limits: nesting in SET, SHOW ... WHERE and CHANGE MASTER values is bounded too") {
  std::string deep = repeated("(", 10000) + "1" + repeated(")", 10000);
  for (std::string sql :
       {"SET @a = " + deep, "SHOW VARIABLES WHERE " + deep,
        "CHANGE MASTER TO IGNORE_SERVER_IDS = " + deep, "PURGE BINARY LOGS BEFORE " + deep}) {
    INFO(sql.substr(0, 40));
    auto s = parse_statement(sql);
    REQUIRE_FALSE(s);
    CHECK(names_limit(s.error(), too_deep));
  }
}

TEST_CASE("sql_limits: a flat chain at the height limit parses into the same left-deep tree") {
  std::size_t terms = max_expression_height;  // 1023 operators over a leaf: height 1024
  auto s = parse_statement("SELECT " + chain(terms));
  if (!s) FAIL(s.error().message);
  std::string tree =
      "(select " + repeated("(+ ", terms - 1) + "1" + repeated(" 1)", terms - 1) + ")";
  CHECK(to_string(*s) == tree);
}

TEST_CASE("sql_limits: one operator past the height limit is refused") {
  for (std::string_view op : {"+", "*", " AND ", " OR ", "-"}) {
    INFO(op);
    auto s = parse_statement("SELECT " + chain(max_expression_height + 1, op));
    REQUIRE_FALSE(s);
    CHECK(names_limit(s.error(), too_high));
  }
}

TEST_CASE("sql_limits: the height counts through nesting and operators alike") {
  // Levels of f(...) around a chain that alone is within the limit: each call is one more.
  std::string inner = chain(max_expression_height - 63);
  auto s = parse_statement("SELECT " + repeated("f(", 63) + inner + repeated(")", 63));
  if (!s) FAIL(s.error().message);
  s = parse_statement("SELECT " + repeated("f(", 64) + inner + repeated(")", 64));
  REQUIRE_FALSE(s);
  CHECK(names_limit(s.error(), too_high));
}

TEST_CASE("sql_limits: 100,000-term flat chains are refused in linear time") {
  for (std::string_view op : {"+", "*", " AND ", " OR ", "||"}) {
    INFO(op);
    std::string sql = "SELECT " + chain(100000, op);
    auto start = std::chrono::steady_clock::now();
    auto s = parse_statement(sql);
    CHECK(elapsed_ms(start) < time_bound_ms);
    REQUIRE_FALSE(s);
    CHECK(names_limit(s.error(), too_many_tokens));
  }
}

TEST_CASE("sql_limits: a statement of long chains up to the token limit parses in linear time") {
  // 32 items of 1,000 terms: 64,032 tokens, each chain within the height limit.
  std::string sql = "SELECT " + chain(1000);
  for (int i = 1; i < 32; ++i) sql += ", " + chain(1000, i % 2 ? " AND " : "*");
  auto start = std::chrono::steady_clock::now();
  auto s = parse_statement(sql);
  double parse_ms = elapsed_ms(start);
  if (!s) FAIL(s.error().message);
  CHECK(parse_ms < time_bound_ms);
  start = std::chrono::steady_clock::now();
  CHECK(to_string(*s).size() > 32 * 1000 * 4);
  CHECK(elapsed_ms(start) < time_bound_ms);
}

TEST_CASE("sql_limits: a 30,000-item IN list parses in linear time") {
  std::string sql = "SELECT 1 IN (" + chain(30000, ",") + ")";
  auto start = std::chrono::steady_clock::now();
  auto s = parse_statement(sql);
  CHECK(elapsed_ms(start) < time_bound_ms);
  if (!s) FAIL(s.error().message);
}

TEST_CASE("sql_limits: a statement of exactly the token limit parses, one more token is refused") {
  // "SELECT 1" and 32,767 times ",1": 65,536 tokens.
  std::string sql = "SELECT 1" + repeated(",1", max_statement_tokens / 2 - 1);
  auto s = parse_statement(sql);
  if (!s) FAIL(s.error().message);
  s = parse_statement(sql + ";");
  REQUIRE_FALSE(s);
  CHECK(s.error().message == too_many_tokens + " near ';' at line 1");
}

TEST_CASE("sql_limits: a statement of exactly the byte limit parses, one more byte is refused") {
  std::string sql = "SELECT '" + std::string(max_statement_bytes - 9, 'x') + "'";
  REQUIRE(sql.size() == max_statement_bytes);
  auto s = parse_statement(sql);
  if (!s) FAIL(s.error().message);
  s = parse_statement(sql + " ");
  REQUIRE_FALSE(s);
  CHECK(s.error().message == too_long + " near ' ' at line 1");
}

TEST_CASE("sql_limits: the lexer applies the byte and token limits on its own") {
  auto t = tokenize(std::string(max_statement_bytes + 1, ' '));
  REQUIRE_FALSE(t);
  CHECK(names_limit(t.error(), too_long));
  t = tokenize(repeated("( ", max_statement_tokens + 1));
  REQUIRE_FALSE(t);
  CHECK(names_limit(t.error(), too_many_tokens));
}
