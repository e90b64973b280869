#pragma once
// MySQL's binary NEWDECIMAL encoding (strings/decimal.c bin2decimal): groups of 9 decimal
// digits in 4 big-endian bytes, a partial leading/trailing group in 1-4 bytes, the sign in
// the top bit of the first byte (set = non-negative), negative numbers bitwise inverted.
// Layout: docs/rows.md, "DECIMAL".

#include <cstddef>
#include <string>

#include "common/bytes.h"

namespace binrelay::binlog {

// Bytes a DECIMAL(precision, scale) value occupies; 0 when scale > precision or
// precision > 65 or scale > 30 (invalid metadata).
std::size_t decimal_binary_size(unsigned precision, unsigned scale);

// Appends the value as mysqlbinlog prints it: optional '-', integer part without leading
// zeros ("0" when there is none), '.', exactly `scale` fraction digits. REQUIRES:
// bin.size() == decimal_binary_size(precision, scale) > 0.
void format_decimal(bytes_view bin, unsigned precision, unsigned scale, std::string& out);

}  // namespace binrelay::binlog
