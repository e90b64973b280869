#pragma once
// TABLE_MAP_EVENT (type 19): binds a table_id to a table's name and column definitions for
// the rows events that follow it. Layout: docs/rows.md, "Table map" (reference §2 Table_map).
//
// Every string and byte view points into the event body the caller decoded; the caller keeps
// that buffer alive as long as the table_map_event.

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "binlog/column_type.h"
#include "binlog/event_header.h"
#include "binlog/format_description.h"
#include "common/bytes.h"
#include "common/result.h"

namespace binrelay::binlog {

// One column of a mapped table.
struct column_info {
  column_type type = column_type::null;       // real type (STRING's folded ENUM/SET unfolded)
  column_type wire_type = column_type::null;  // as listed in the type array
  // Metadata as mysqlbinlog computes it: 1-byte types hold the byte; VARCHAR/BIT are
  // little-endian u16; NEWDECIMAL is precision<<8|scale; STRING/ENUM/SET is byte0<<8|byte1.
  std::uint16_t meta = 0;
  bool nullable = false;
  // STRING/ENUM/SET: the unfolded length in bytes (CHAR max bytes, ENUM/SET pack length).
  std::uint32_t length = 0;

  // From the optional metadata; defaults when the server did not send it.
  bool is_unsigned = false;
  std::uint32_t collation = 0;               // 0 = not given
  std::string_view name;                     // empty = not given
  std::vector<std::string_view> str_values;  // ENUM/SET member names, when given
  std::uint32_t geometry_type = 0;
  bool visible = true;
  std::uint32_t vector_dimensions = 0;
};

// Optional metadata field codes (enum Optional_metadata_field_type).
enum class table_map_metadata_type : std::uint8_t {
  signedness = 1,
  default_charset = 2,
  column_charset = 3,
  column_name = 4,
  set_str_value = 5,
  enum_str_value = 6,
  geometry_type = 7,
  simple_primary_key = 8,
  primary_key_with_prefix = 9,
  enum_and_set_default_charset = 10,
  enum_and_set_column_charset = 11,
  column_visibility = 12,
  vector_dimensionality = 13,
};

struct primary_key_part {
  std::uint32_t column = 0;
  std::uint32_t prefix = 0;  // 0 = whole column
};

struct table_map_event {
  std::uint64_t table_id = 0;
  std::uint16_t flags = 0;
  std::string_view db;
  std::string_view table;
  std::vector<column_info> columns;
  bytes_view null_bitmap;        // bit i (LSB first) = column i nullable
  bytes_view optional_metadata;  // raw TLVs, already parsed into columns / primary_key
  std::vector<primary_key_part> primary_key;
  // Which optional fields were present (bit = 1 << table_map_metadata_type).
  std::uint32_t metadata_present = 0;
  // Number of JSON columns (PARTIAL_UPDATE_ROWS has one partial bit per JSON column).
  std::size_t json_column_count = 0;

  bool has_metadata(table_map_metadata_type t) const {
    return (metadata_present >> static_cast<unsigned>(t)) & 1u;
  }
};

// Decodes a TABLE_MAP body (after the common header, before the checksum). table_id is
// 4 bytes when the FDE's TABLE_MAP post-header length is 6, else 6 bytes.
result<table_map_event> decode_table_map_event(const event_header& h, bytes_view body,
                                               const format_description& fde);

// Parses optional metadata TLVs into `t` (columns must already be filled). Unknown field
// types are skipped by length.
result<void> parse_table_map_metadata(table_map_event& t, bytes_view tlvs);

}  // namespace binrelay::binlog
