#pragma once
// constant_eval: the values of the constant expressions binrelayd's admin SQL evaluates
// itself (docs/admin-sql.md): number arithmetic (SELECT 1+1, monitoring probes) and points in
// time (PURGE BINARY LOGS BEFORE NOW() - INTERVAL 1 DAY). Sans-I/O, pure.

#include <cstdint>
#include <optional>
#include <string>

#include "common/result.h"
#include "sql/statement.h"

namespace binrelay::sql {

// Number literals under + - * / % DIV and unary minus, as MySQL prints the result: integers
// exactly (overflow is an error, as MySQL's 1690), others in decimal with the larger scale of
// the operands, a division with 4 more digits (div_precision_increment); x/0 is NULL.
// Errors: invalid_argument (not such an expression: the caller decides what that means).
result<std::optional<std::string>> evaluate_arithmetic(const expression& e);

// A point in time as Unix seconds: 'YYYY-MM-DD[ HH:MM:SS]' (local time, as MySQL reads it),
// NOW(), CURRENT_TIMESTAMP[()], SYSDATE(), and those +/- INTERVAL n
// SECOND|MINUTE|HOUR|DAY|WEEK. nullopt: not such an expression.
std::optional<std::int64_t> evaluate_datetime(const expression& e, std::int64_t now_unix);

}  // namespace binrelay::sql
