#pragma once
// Binary encodings of MySQL/MariaDB temporal columns in row images, and their text forms as
// mysqlbinlog prints them. Layouts: docs/rows.md, "Temporal types".

#include <cstddef>
#include <cstdint>
#include <string>

#include "binlog/row_values.h"

namespace binrelay::binlog {

// Bytes of the fractional part for fsp 0..6 (0, 1, 1, 2, 2, 3, 3).
inline std::size_t fsp_bytes(unsigned fsp) {
  return (fsp + 1) / 2;
}

// Decoders: REQUIRE the stated number of readable bytes at p.
temporal_value decode_datetime2(const std::uint8_t* p, unsigned fsp);  // 5 + fsp_bytes
temporal_value decode_time2(const std::uint8_t* p, unsigned fsp);      // 3 + fsp_bytes
// TIMESTAMP2: seconds (4 bytes big-endian) and micro.
std::uint32_t decode_timestamp2(const std::uint8_t* p, unsigned fsp, std::uint32_t& micro);
temporal_value decode_date(const std::uint8_t* p);      // 3 bytes (DATE and NEWDATE)
temporal_value decode_time(const std::uint8_t* p);      // 3 bytes, old TIME (HHMMSS)
temporal_value decode_datetime(const std::uint8_t* p);  // 8 bytes, old DATETIME
// A MySQL "packed" datetime/time longlong (JSON opaque values, TIME_from_longlong_*).
temporal_value unpack_datetime(std::int64_t packed);
temporal_value unpack_time(std::int64_t packed);

// "YYYY-MM-DD", "YYYY-MM-DD hh:mm:ss[.ffffff]", "[-]hh:mm:ss[.ffffff]" with `fsp` fraction
// digits (the first fsp digits of the 6-digit microseconds). append_date's `separator`
// replaces '-' (mysqlbinlog prints DATE columns as 'YYYY:MM:DD').
void append_date(const temporal_value& t, std::string& out, char separator = '-');
void append_datetime(const temporal_value& t, unsigned fsp, std::string& out);
void append_time(const temporal_value& t, unsigned fsp, std::string& out);
// ".ffffff" truncated to fsp digits; nothing when fsp == 0.
void append_fraction(std::uint32_t micro, unsigned fsp, std::string& out);
// Zero-padded decimal of at least `width` digits.
void append_padded(std::uint64_t v, int width, std::string& out);

}  // namespace binrelay::binlog
