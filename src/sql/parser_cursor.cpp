#include "sql/parser_cursor.h"

#include <algorithm>
#include <charconv>

#include "protocol/server_errors.h"

namespace binrelay::sql {

namespace {
char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}
char upper(char c) {
  return (c >= 'a' && c <= 'z') ? char(c - 'a' + 'A') : c;
}
}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return lower(x) == lower(y); });
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), lower);
  return out;
}

std::string to_upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), upper);
  return out;
}

const token& parser_cursor::peek(std::size_t ahead) const {
  return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
}

bool parser_cursor::is_keyword(std::string_view word, std::size_t ahead) const {
  const token& t = peek(ahead);
  return t.kind == token_kind::identifier && iequals(t.text, word);
}

bool parser_cursor::is_symbol(std::string_view symbol, std::size_t ahead) const {
  const token& t = peek(ahead);
  return t.kind == token_kind::symbol && t.text == symbol;
}

bool parser_cursor::accept_keyword(std::string_view word) {
  if (!is_keyword(word)) return false;
  next();
  return true;
}

bool parser_cursor::accept_symbol(std::string_view symbol) {
  if (!is_symbol(symbol)) return false;
  next();
  return true;
}

std::string parser_cursor::accept_any_keyword(std::initializer_list<std::string_view> words) {
  for (std::string_view w : words) {
    if (accept_keyword(w)) return std::string(w);
  }
  return {};
}

result<void> parser_cursor::expect_keyword(std::string_view word) {
  if (!accept_keyword(word)) return syntax_error();
  return {};
}

result<void> parser_cursor::expect_symbol(std::string_view symbol) {
  if (!accept_symbol(symbol)) return syntax_error();
  return {};
}

result<std::string> parser_cursor::expect_string() {
  if (peek().kind != token_kind::string) return syntax_error();
  std::string value = next().text;
  while (peek().kind == token_kind::string) value += next().text;  // 'a' 'b' is 'ab'
  return value;
}

result<std::uint64_t> parser_cursor::expect_unsigned() {
  const token& t = peek();
  std::uint64_t value = 0;
  if (t.kind != token_kind::number) return syntax_error();
  auto [end, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), value);
  if (ec != std::errc() || end != t.text.data() + t.text.size()) return syntax_error();
  next();
  return value;
}

result<std::string> parser_cursor::expect_name() {
  const token& t = peek();
  if (t.kind != token_kind::identifier && t.kind != token_kind::quoted_identifier) {
    return syntax_error();
  }
  return next().text;
}

binrelay::error parser_cursor::unsupported(std::string_view name) const {
  std::string what(name);
  for (std::size_t i = 0; what.empty() || (name.empty() && i < 3); ++i) {
    if (tokens_[i].kind != token_kind::identifier) break;
    what += (i == 0 ? "" : " ") + tokens_[i].text;
  }
  auto err = protocol::not_supported_yet(what);
  return binrelay::error{errc::unsupported, std::move(err.message), err.error_code};
}

binrelay::error parser_cursor::too_deep() const {
  return sql_parse_error(sql_, peek().offset,
                         fmt::format("Expression nested deeper than binrelay's limit of {} levels",
                                     max_nesting_depth));
}

binrelay::error parser_cursor::too_high() const {
  return sql_parse_error(
      sql_, peek().offset,
      fmt::format("Expression of more than binrelay's limit of {} levels of operators",
                  max_expression_height));
}

std::string parser_cursor::text_since(std::size_t first) const {
  if (pos_ == 0 || first >= pos_) return {};
  std::size_t begin = tokens_[first].offset;
  std::size_t end = tokens_[pos_ - 1].end_offset;
  return std::string(sql_.substr(begin, end - begin));
}

}  // namespace binrelay::sql
