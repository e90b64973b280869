#pragma once
// The primitives of MySQL 8.3+'s `mysql::serialization` binary format (libs/mysql/serialization,
// used by GTID_TAGGED_LOG_EVENT), as far as binlog events use it:
//   - unsigned varint: 1-9 bytes, little-endian; the number of trailing one bits in the first
//     byte, plus one, is the byte count n. For n <= 8 the value is the n-byte number shifted
//     right by n (7n value bits); n = 9 (first byte 0xFF) holds the full 64-bit value in the
//     next 8 bytes.
//   - signed varint: x >= 0 as (x << 1), x < 0 as ((-(x + 1)) << 1) | 1, then unsigned.
//   - message: id varint (the format version at top level), size varint (of the whole
//     message, these metadata fields included), last non-ignorable field id varint, then
//     fields as `field_id varint | data` in increasing id order; absent fields are skipped.
// Format: docs/formats.md, "Tagged GTID".

#include <cstdint>

#include "common/bytes.h"

namespace binrelay::binlog::serialization {

// Reads one unsigned varint; marks `in` failed when cut short.
std::uint64_t read_varint(byte_reader& in);
// Reads one signed varint.
std::int64_t read_signed_varint(byte_reader& in);

void write_varint(byte_writer& out, std::uint64_t v);
void write_signed_varint(byte_writer& out, std::int64_t v);
std::size_t varint_size(std::uint64_t v);
std::size_t signed_varint_size(std::int64_t v);

}  // namespace binrelay::binlog::serialization
