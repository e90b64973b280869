#pragma once
// The limits of binrelay's admin SQL subset parser (docs/admin-sql.md, "Limits"). Replica and
// admin connections share the parser, so these bound the memory, time and stack one statement
// can take: parsing is linear in the statement's length, and no statement builds a tree that the
// parser, the printer or a destructor would recurse into deeper than these allow.
//
// A statement past a limit fails with ER_PARSE_ERROR (1064) in MySQL's own format for its
// parser's limits ("<what> near '...' at line N"), where <what> names the limit.

#include <cstddef>

namespace binrelay::sql {

// Checked before tokenizing. The protocol layer caps packets at max_packet_size already; this
// caps what the subset parser accepts whatever that setting is.
inline constexpr std::size_t max_statement_bytes = std::size_t{1} << 20;

// Tokens of one statement (the final end marker not counted), checked while tokenizing, so a
// statement of one-character tokens costs at most this many token values.
inline constexpr std::size_t max_statement_tokens = std::size_t{1} << 16;

// Levels of nesting inside one expression: each parenthesis, unary operator (NOT, !, -, +),
// function argument list, IN list and INTERVAL opens one. Checked before the parser recurses.
inline constexpr std::size_t max_nesting_depth = 64;

// The height of an expression's tree (a literal is 1, `a + b` is 2, `1 + 1 + 1` is 3). Operator
// chains are parsed in a loop, but each operator of `1 + 1 + ... + 1` adds a level to the tree
// that consumers walk recursively. Checked as each node is built.
inline constexpr std::size_t max_expression_height = 1024;

}  // namespace binrelay::sql
