#pragma once
// Internal to the SQL parser (parser.cpp, expression_parser.cpp, ...): a cursor over the
// tokens of one statement with the matching helpers a recursive-descent parser needs, and the
// count of expression nesting that keeps its recursion within max_nesting_depth.
// Keywords are bare identifiers compared case-insensitively; a back-quoted name never is one.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "sql/lexer.h"
#include "sql/limits.h"
#include "sql/statement.h"

namespace binrelay::sql {

bool iequals(std::string_view a, std::string_view b);
std::string to_lower(std::string_view s);
std::string to_upper(std::string_view s);

class parser_cursor {
 public:
  // REQUIRES: `tokens` ends with token_kind::end; both outlive the cursor.
  parser_cursor(std::string_view sql, const std::vector<token>& tokens)
      : sql_(sql), tokens_(tokens) {}

  const token& peek(std::size_t ahead = 0) const;
  const token& next() { return tokens_[pos_ < tokens_.size() - 1 ? pos_++ : pos_]; }
  bool at_end() const { return peek().kind == token_kind::end; }
  std::string_view sql() const { return sql_; }

  bool is_keyword(std::string_view word, std::size_t ahead = 0) const;
  bool is_symbol(std::string_view symbol, std::size_t ahead = 0) const;
  // Consume the keyword/symbol when it is next.
  bool accept_keyword(std::string_view word);
  bool accept_symbol(std::string_view symbol);
  // The first of `words` that is next, consumed; empty when none is.
  std::string accept_any_keyword(std::initializer_list<std::string_view> words);

  // Consume it, or fail with ER_PARSE_ERROR near the current token.
  result<void> expect_keyword(std::string_view word);
  result<void> expect_symbol(std::string_view symbol);
  result<std::string> expect_string();
  result<std::uint64_t> expect_unsigned();
  // A bare or back-quoted name.
  result<std::string> expect_name();

  // ER_PARSE_ERROR (1064) near the current token.
  binrelay::error syntax_error() const { return sql_syntax_error(sql_, peek().offset); }
  // ER_NOT_SUPPORTED_YET (1235) naming the statement: `name`, or its first three words as
  // written.
  binrelay::error unsupported(std::string_view name = {}) const;
  // The statement text from token `first` up to the end of the last consumed token.
  std::string text_since(std::size_t first) const;
  std::size_t position() const { return pos_; }

  // One more level of expression nesting (use the `nesting` guard below); false when that is
  // past max_nesting_depth (sql/limits.h). Every enter_nesting() needs its leave_nesting().
  bool enter_nesting() { return ++depth_ <= max_nesting_depth; }
  void leave_nesting() { --depth_; }
  // ER_PARSE_ERROR naming max_nesting_depth, near the current token.
  binrelay::error too_deep() const;
  // ER_PARSE_ERROR naming max_expression_height, near the current token.
  binrelay::error too_high() const;

 private:
  std::string_view sql_;
  const std::vector<token>& tokens_;
  std::size_t pos_ = 0;
  std::size_t depth_ = 0;
};

// One level of expression nesting for the guard's lifetime. Construct it before consuming the
// token that opens the level and recursing, and return in.too_deep() unless ok().
class nesting {
 public:
  explicit nesting(parser_cursor& in) : in_(in), ok_(in.enter_nesting()) {}
  ~nesting() { in_.leave_nesting(); }
  nesting(const nesting&) = delete;
  nesting& operator=(const nesting&) = delete;
  bool ok() const { return ok_; }

 private:
  parser_cursor& in_;
  bool ok_;
};

// expression := or_expr. Returns ER_PARSE_ERROR for a malformed expression, or one nested deeper
// than max_nesting_depth or higher than max_expression_height (sql/limits.h).
result<expression> parse_expression(parser_cursor& in);

// What follows the '(' of a call or a list: `)` or `arg {, arg} )`, each arg an expression or,
// when `star` is allowed (COUNT(*)), `*`; appended to `into.args`. The list is one level of
// nesting.
result<void> parse_argument_list(parser_cursor& in, expression& into, bool star = false);

}  // namespace binrelay::sql
