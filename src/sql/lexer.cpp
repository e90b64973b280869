#include "sql/lexer.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "protocol/server_errors.h"
#include "sql/limits.h"

namespace binrelay::sql {
namespace {

bool is_ident_char(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$' || u >= 0x80;
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

char unescape(char c) {
  switch (c) {
    case '0':
      return '\0';
    case 'b':
      return '\b';
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    case 'Z':
      return '\x1A';
    default:
      return c;
  }
}

class lexer {
 public:
  explicit lexer(std::string_view sql) : sql_(sql) {}

  result<std::vector<token>> run() {
    if (sql_.size() > max_statement_bytes) {
      return sql_parse_error(
          sql_, max_statement_bytes,
          fmt::format("Statement longer than binrelay's limit of {} bytes", max_statement_bytes));
    }
    while (true) {
      if (auto skipped = skip_blanks(); !skipped) return skipped.error();
      if (pos_ >= sql_.size()) break;
      if (tokens_.size() == max_statement_tokens) {
        return sql_parse_error(sql_, pos_,
                               fmt::format("Statement of more than binrelay's limit of {} tokens",
                                           max_statement_tokens));
      }
      auto t = next_token();
      if (!t) return t.error();
      t->end_offset = pos_;
      tokens_.push_back(std::move(*t));
    }
    tokens_.push_back(token{token_kind::end, {}, sql_.size(), sql_.size()});
    return std::move(tokens_);
  }

 private:
  char peek(std::size_t ahead = 0) const {
    return pos_ + ahead < sql_.size() ? sql_[pos_ + ahead] : '\0';
  }
  bool at(std::string_view s) const { return sql_.substr(pos_).starts_with(s); }

  // Whitespace, comments, and the delimiters of executable comments.
  result<void> skip_blanks() {
    while (pos_ < sql_.size()) {
      char c = peek();
      if (is_space(c)) {
        ++pos_;
      } else if (c == '#' || (at("--") && (is_space(peek(2)) || pos_ + 2 == sql_.size()))) {
        while (pos_ < sql_.size() && peek() != '\n') ++pos_;
      } else if (at("/*!") || at("/*M!")) {
        open_executable_comment();
      } else if (at("/*")) {
        std::size_t close = sql_.find("*/", pos_ + 2);
        if (close == std::string_view::npos) return sql_syntax_error(sql_, pos_);
        pos_ = close + 2;
      } else if (executable_depth_ > 0 && at("*/")) {
        --executable_depth_;
        pos_ += 2;
      } else {
        break;
      }
    }
    return {};
  }

  void open_executable_comment() {
    pos_ += at("/*M!") ? 4 : 3;
    while (is_digit(peek())) ++pos_;  // the version; binrelay runs every executable comment
    ++executable_depth_;
  }

  result<token> next_token() {
    std::size_t start = pos_;
    char c = peek();
    if (c == '\'' || c == '"') return quoted(token_kind::string, c, start);
    if (c == '`') return quoted(token_kind::quoted_identifier, c, start);
    if (c == '@') return variable(start);
    if (is_digit(c) || (c == '.' && is_digit(peek(1)))) return number(start);
    if (c == '$' && opens_dollar_quote()) return sql_syntax_error(sql_, start);
    if (is_ident_char(c)) {
      while (is_ident_char(peek())) ++pos_;
      return token{token_kind::identifier, std::string(sql_.substr(start, pos_ - start)), start};
    }
    return symbol(start);
  }

  // `$$` or `$tag$`: MySQL 9's dollar quote, which only a stored program's body may use, so
  // it is a syntax error wherever binrelay parses SQL. The mysql 9 client sends `select $$`
  // and counts on that error (a result set leaves it out of sync).
  bool opens_dollar_quote() const {
    std::size_t i = pos_ + 1;
    while (i < sql_.size() && sql_[i] != '$' && is_ident_char(sql_[i])) ++i;
    return i < sql_.size() && sql_[i] == '$';
  }

  // A quoted string or name; `start` is the opening quote.
  result<token> quoted(token_kind kind, char quote, std::size_t start) {
    std::string text;
    ++pos_;
    while (pos_ < sql_.size()) {
      char c = sql_[pos_++];
      if (c == quote) {
        if (peek() != quote) return token{kind, std::move(text), start};
        ++pos_;  // a doubled quote stands for one
        text += quote;
      } else if (c == '\\' && kind == token_kind::string && pos_ < sql_.size()) {
        char e = sql_[pos_++];
        if (e == '%' || e == '_') text += '\\';  // kept for LIKE, as MySQL does
        text += unescape(e);
      } else {
        text += c;
      }
    }
    return sql_syntax_error(sql_, start);
  }

  result<token> variable(std::size_t start) {
    if (peek(1) == '@') {
      pos_ += 2;
      return token{token_kind::at_at, "@@", start};
    }
    ++pos_;
    char c = peek();
    if (c == '\'' || c == '"' || c == '`') {
      auto name = quoted(token_kind::user_variable, c, start);
      if (name) name->kind = token_kind::user_variable;
      return name;
    }
    std::size_t name_start = pos_;
    while (is_ident_char(peek()) || peek() == '.') ++pos_;
    if (pos_ == name_start) return sql_syntax_error(sql_, start);
    return token{token_kind::user_variable, std::string(sql_.substr(name_start, pos_ - name_start)),
                 start};
  }

  result<token> number(std::size_t start) {
    if (at("0x") || at("0X")) {
      pos_ += 2;
      while (std::isxdigit(static_cast<unsigned char>(peek()))) ++pos_;
    } else {
      while (is_digit(peek())) ++pos_;
      if (peek() == '.') {
        ++pos_;
        while (is_digit(peek())) ++pos_;
      }
      bool signed_exponent = (peek(1) == '+' || peek(1) == '-') && is_digit(peek(2));
      if ((peek() == 'e' || peek() == 'E') && (is_digit(peek(1)) || signed_exponent)) {
        pos_ += signed_exponent ? 2 : 1;
        while (is_digit(peek())) ++pos_;
      }
    }
    if (is_ident_char(peek())) {  // 1abc is a name in MySQL
      while (is_ident_char(peek())) ++pos_;
      return token{token_kind::identifier, std::string(sql_.substr(start, pos_ - start)), start};
    }
    return token{token_kind::number, std::string(sql_.substr(start, pos_ - start)), start};
  }

  result<token> symbol(std::size_t start) {
    static constexpr std::string_view symbols[] = {"<=>", ":=", "<=", ">=", "<>", "!=", "||", "&&",
                                                   ",",   "(",  ")",  "=",  ".",  ";",  "*",  "+",
                                                   "-",   "/",  "%",  "<",  ">",  "!"};
    for (std::string_view s : symbols) {
      if (at(s)) {
        pos_ += s.size();
        return token{token_kind::symbol, std::string(s), start};
      }
    }
    return sql_syntax_error(sql_, start);
  }

  std::string_view sql_;
  std::size_t pos_ = 0;
  int executable_depth_ = 0;
  std::vector<token> tokens_;
};

}  // namespace

result<std::vector<token>> tokenize(std::string_view sql) {
  return lexer(sql).run();
}

binrelay::error sql_syntax_error(std::string_view sql, std::size_t offset) {
  return sql_parse_error(
      sql, offset,
      "You have an error in your SQL syntax; check the manual that corresponds to your MySQL "
      "server version for the right syntax to use");
}

binrelay::error sql_parse_error(std::string_view sql, std::size_t offset, std::string_view what) {
  offset = std::min(offset, sql.size());
  auto line = 1 + std::count(sql.begin(), sql.begin() + std::ptrdiff_t(offset), '\n');
  binrelay::error e = make_error(errc::invalid_argument, "{} near '{}' at line {}", what,
                                 sql.substr(offset, 80), line);
  e.server_errno = protocol::er::parse_error;
  return e;
}

}  // namespace binrelay::sql
