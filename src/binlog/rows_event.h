#pragma once
// Rows events: WRITE/UPDATE/DELETE_ROWS in their three versions (pre-GA 20-22, v1 23-25,
// v2 30-32), PARTIAL_UPDATE_ROWS (39, MySQL 8.0 partial JSON) and MariaDB's compressed rows
// events (166-172). Layout: docs/rows.md, "Rows events".
//
// The decoder splits the event into its header fields, column bitmaps and the packed row
// images; the row images are decoded against the table map by row_reader (row_reader.h).
//
// Lifetime: extra_data, the bitmaps and (for uncompressed events) `rows` point into the
// caller's body buffer. For compressed events `rows` points into `decompressed`, which the
// event owns (shared, so copies stay valid).

#include <cstdint>
#include <memory>
#include <vector>

#include "binlog/event_header.h"
#include "binlog/format_description.h"
#include "common/bytes.h"
#include "common/result.h"

namespace binrelay::binlog {

enum class rows_kind : std::uint8_t { write, update, delete_, partial_update };

// Rows event flags.
inline constexpr std::uint16_t rows_flag_stmt_end = 0x0001;
inline constexpr std::uint16_t rows_flag_no_foreign_key_checks = 0x0002;
inline constexpr std::uint16_t rows_flag_relaxed_unique_checks = 0x0004;
inline constexpr std::uint16_t rows_flag_complete_rows = 0x0008;

struct rows_event {
  event_type type = event_type::unknown;
  rows_kind kind = rows_kind::write;
  int version = 2;          // 0 = pre-GA, 1, 2
  bool compressed = false;  // MariaDB 166-172
  std::uint64_t table_id = 0;
  std::uint16_t flags = 0;
  bytes_view extra_data;      // v2 extra-data TLVs (after the 2-byte length); empty otherwise
  std::uint64_t width = 0;    // number of columns in the table
  bytes_view columns_before;  // (width+7)/8 bytes: columns present in before images
  bytes_view columns_after;   // columns present in after images (= columns_before for
                              // WRITE and DELETE)
  bytes_view rows;            // packed row images
  std::shared_ptr<const std::vector<std::uint8_t>> decompressed;

  // WRITE has only after images, DELETE only before images, UPDATE both (BI, AI pairs).
  bool has_before_image() const { return kind != rows_kind::write; }
  bool has_after_image() const { return kind != rows_kind::delete_; }
};

// Decodes any rows event type (is_rows_event(h.type) must hold, else `unsupported`).
result<rows_event> decode_rows_event(const event_header& h, bytes_view body,
                                     const format_description& fde);

// The kind, version and compression of a rows event type; false for other types.
bool classify_rows_event(event_type t, rows_kind& kind, int& version, bool& compressed);

}  // namespace binrelay::binlog
