#pragma once
// sql_literal: a decoded row value as an SQL literal that stores exactly the same value in a
// column of the same type on a MariaDB/MySQL downstream, and identifier quoting.
//
//   strings, blobs, binary, geometry   X'hex' (bytes stored as is, no charset conversion)
//   integers, ENUM index, SET bits, BIT  decimal number
//   FLOAT / DOUBLE                      shortest text that reads back to the same value
//   DECIMAL                             its exact decimal text
//   DATE / TIME / DATETIME              '...' with six fraction digits
//   TIMESTAMP                           UTC text: the session must use time_zone '+00:00'
//   JSON (MySQL binary)                 its text as X'hex'
// The session must not use NO_ZERO_DATE / NO_ZERO_IN_DATE / strict checks that would refuse
// values the primary stored (the applier's sessions set sql_mode accordingly).

#include <string>
#include <string_view>

#include "binlog/row_values.h"
#include "binlog/table_map_event.h"
#include "common/result.h"

namespace binrelay::applier {

// Appends the literal of `v` (REQUIRES: v.kind != absent) for column `c`.
// Errors: unsupported (partial JSON diffs, pre-5.0 decimals it cannot check), corrupt JSON.
result<void> append_sql_literal(const binlog::column_info& c, const binlog::column_value& v,
                                std::string& out);

// The value of an integer column read as signed (the binlog carried no signedness) as the
// unsigned value of the same bits, for a column the downstream declares UNSIGNED.
binlog::column_value as_unsigned(const binlog::column_info& c, binlog::column_value v);

// Appends the text of a DATE, TIME, DATETIME (six fraction digits) or TIMESTAMP (UTC) value,
// unquoted.
void append_temporal_text(const binlog::column_value& v, std::string& out);

// The number a BIT value's big-endian bytes stand for.
std::uint64_t bit_value(bytes_view bits);

// Appends `name` quoted with backticks (backticks doubled).
void append_identifier(std::string_view name, std::string& out);

// Appends X'hex' of `bytes`.
void append_hex_literal(bytes_view bytes, std::string& out);

}  // namespace binrelay::applier
