#pragma once
// The tokenizer of binrelay's admin SQL subset (docs/admin-sql.md). It turns statement text
// into tokens the way MySQL's lexer does for the constructs we accept:
//   - comments: /* ... */, "-- " to end of line, "#" to end of line; MySQL executable
//     comments /*!NNNNN ... */ and MariaDB's /*M!NNNNN ... */ contribute their contents
//   - identifiers: bare (letters, digits, _, $, bytes >= 0x80) or `back-quoted` (`` doubles)
//   - strings: '...' or "..." with backslash escapes and doubled quotes
//   - numbers: 123, 1.5, 1e3, 0x1F
//   - @user_var, @'quoted' / @`quoted` / @"quoted", and @@ (followed by a variable name)
//   - symbols: , ( ) = := . ; * + - / % < > <= >= <> != <=> ! || &&
// Keywords are not special here: the parser matches bare identifiers case-insensitively.
// Sans-I/O, no allocation beyond the token vector. Linear in the length of the statement, which
// with the number of tokens is bounded by sql/limits.h.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace binrelay::sql {

enum class token_kind {
  identifier,         // bare word: a keyword or a name
  quoted_identifier,  // `name`: never a keyword
  string,             // text holds the unescaped value
  number,             // text holds the literal as written
  user_variable,      // text holds the name without '@'
  at_at,              // "@@"
  symbol,             // text holds the symbol
  end,                // after the last token; offset = length of the statement
};

struct token {
  token_kind kind = token_kind::end;
  std::string text;
  std::size_t offset = 0;      // where the token starts in the statement
  std::size_t end_offset = 0;  // one past its last character
  bool operator==(const token&) const = default;
};

// The tokens of `sql`, ending with one token_kind::end. An unterminated string, quoted name or
// comment is ER_PARSE_ERROR (1064) near where it starts; a statement longer than
// max_statement_bytes or of more than max_statement_tokens tokens is ER_PARSE_ERROR naming the
// limit, found before any token past it is built.
result<std::vector<token>> tokenize(std::string_view sql);

// ER_PARSE_ERROR (1064) in MySQL's words, quoting up to 80 characters of `sql` from `offset`:
// "You have an error in your SQL syntax; check the manual that corresponds to your MySQL
// server version for the right syntax to use near '...' at line N".
binrelay::error sql_syntax_error(std::string_view sql, std::size_t offset);

// ER_PARSE_ERROR (1064) in MySQL's format "<what> near '...' at line N": sql_syntax_error with
// its own <what>. binrelay's limits (sql/limits.h) name themselves in <what>, as MySQL's parser
// does when it runs out of stack ("memory exhausted near ...").
binrelay::error sql_parse_error(std::string_view sql, std::size_t offset, std::string_view what);

}  // namespace binrelay::sql
