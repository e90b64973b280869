#pragma once
// MySQL's LIKE pattern matching as SHOW ... LIKE 'pattern' applies it: '%' matches any run of
// characters (also none), '_' exactly one, and the escape character (default '\') makes the
// next pattern character literal. Comparison is case-insensitive (ASCII letters), as with the
// case-insensitive collations of variable names. Pure function.

#include <string_view>

namespace binrelay::sql {

// REQUIRES: `pattern` is the unescaped string literal (the lexer keeps "\%" and "\_" as two
// characters, as MySQL does, so they reach here escaped).
bool like_match(std::string_view text, std::string_view pattern, char escape = '\\');

}  // namespace binrelay::sql
