#pragma once
// Decoded column values of row images, and the reader that walks the row images of a rows
// event against its table map. Value encodings per type: docs/rows.md, "Row image".
//
// Values are small tagged unions that never allocate: numbers and temporals are held
// inline, everything else (strings, blobs, decimals, JSON, bits, geometry, vectors) as a view
// of the event bytes. Helpers in decimal.h, temporal.h and json_binary.h turn those into text.
//
// Lifetime: values point into rows_event::rows; the event (and its buffer) must outlive them.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "binlog/rows_event.h"
#include "binlog/table_map_event.h"
#include "common/bytes.h"
#include "common/result.h"

namespace binrelay::binlog {

enum class value_kind : std::uint8_t {
  absent,       // column not present in this image (MINIMAL / NOBLOB row images)
  null,         // SQL NULL
  int_,         // signed integer: i (TINY..LONGLONG signed)
  uint_,        // unsigned integer: u (TINY..LONGLONG unsigned, ENUM index, SET bits)
  float_,       // f
  double_,      // d
  decimal,      // bytes: binary NEWDECIMAL (precision/scale from the column meta)
  old_decimal,  // bytes: pre-5.0 DECIMAL as ASCII text
  bit,          // bytes: big-endian bit field
  year,         // u: stored byte (0, or year - 1900)
  date,         // t (year, month, day)
  time,         // t (negative, hour may exceed 23, micro)
  datetime,     // t
  timestamp,    // u: seconds since the epoch, t.micro: fraction
  string,       // bytes: CHAR/VARCHAR/BINARY/VARBINARY/TEXT/BLOB contents
  json,         // bytes: MySQL binary JSON
  json_diff,    // bytes: PARTIAL_UPDATE_ROWS diff vector (json_diff.h)
  geometry,     // bytes: SRID + WKB
  vector,       // bytes: float32 little-endian elements
};

struct temporal_value {
  std::uint32_t year = 0;  // DATETIME/DATE
  std::uint32_t hour = 0;  // TIME may exceed 23
  std::uint32_t micro = 0;
  std::uint8_t month = 0, day = 0, minute = 0, second = 0;
  bool negative = false;  // TIME only
};

struct column_value {
  value_kind kind = value_kind::absent;
  union {
    std::int64_t i;
    std::uint64_t u = 0;
    float f;
    double d;
  };
  temporal_value t;
  bytes_view bytes;
};

// One image: a value per table column (absent for columns outside the image's bitmap).
using row_image = std::vector<column_value>;

// One changed row. `before` is filled for UPDATE/DELETE, `after` for WRITE/UPDATE.
struct row_change {
  row_image before;
  row_image after;
  // PARTIAL_UPDATE_ROWS: value_options of the after image (bit 0 = partial JSON).
  std::uint64_t value_options = 0;
  std::size_t offset = 0;  // byte offset of the row in rows_event::rows
};

inline constexpr std::size_t value_decode_failed = ~std::size_t(0);

// Decodes one non-NULL value of column `c` from `p` (at most `avail` bytes). Returns the
// number of bytes used, or value_decode_failed when the value does not fit, the metadata is
// invalid or the type has no row encoding (old DECIMAL, TYPED_ARRAY).
std::size_t decode_value(const column_info& c, const std::uint8_t* p, std::size_t avail,
                         column_value& out);

// Walks the rows of one event. Not thread-safe; cheap to construct.
class row_reader {
 public:
  // REQUIRES: `map` is the table map of `ev.table_id`; both outlive the reader.
  row_reader(const rows_event& ev, const table_map_event& map) : ev_(ev), map_(map) {}

  bool done() const { return pos_ >= ev_.rows.size(); }
  std::size_t offset() const { return pos_; }
  // Decodes the next row into `out`, reusing its vectors. Errors name the table, the column
  // index (1-based, as mysqlbinlog's @N) and the row offset. Pre-GA events (version 0) fail
  // with `unsupported`: their images are in the source's record format.
  result<void> next(row_change& out);

 private:
  result<void> read_image(bytes_view columns, row_image& out, bool after);

  const rows_event& ev_;
  const table_map_event& map_;
  std::size_t pos_ = 0;
  std::uint64_t value_options_ = 0;
};

}  // namespace binrelay::binlog
