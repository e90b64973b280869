#include <bit>

#include "binlog/row_values.h"

namespace binrelay::binlog {
namespace {

inline bool bit_set(bytes_view bits, std::size_t i) {
  return (bits[i / 8] >> (i % 8)) & 1;
}

std::size_t count_bits(bytes_view bits, std::size_t width) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < width / 8; ++i) n += std::size_t(std::popcount(bits[i]));
  for (std::size_t i = width / 8 * 8; i < width; ++i) n += bit_set(bits, i);
  return n;
}

}  // namespace

result<void> row_reader::read_image(bytes_view columns, row_image& out, bool after) {
  const std::size_t width = std::size_t(ev_.width);
  const std::size_t row_start = pos_;
  auto fail = [&](std::size_t column, const char* what) -> error {
    return make_error(errc::truncated, "{} on `{}`.`{}`: row image at offset {}: column @{}: {}",
                      event_type_name(ev_.type), map_.db, map_.table, row_start, column, what);
  };
  if (width > map_.columns.size())
    return make_error(errc::corrupt, "{} on `{}`.`{}`: event has {} columns, table map has {}",
                      event_type_name(ev_.type), map_.db, map_.table, width, map_.columns.size());
  const std::uint8_t* base = ev_.rows.data();
  const std::size_t end = ev_.rows.size();
  bytes_view partial_bits;
  if (after && ev_.kind == rows_kind::partial_update) {
    byte_reader r(ev_.rows.subspan(pos_));
    value_options_ = r.lenenc();
    if (value_options_ & 1) partial_bits = r.bytes((map_.json_column_count + 7) / 8);
    if (!r.ok()) return fail(0, "value options truncated");
    pos_ += r.position();
  }
  const std::size_t present = count_bits(columns, width);
  const std::size_t null_len = (present + 7) / 8;
  if (end - pos_ < null_len) return fail(0, "null bitmap truncated");
  bytes_view nulls(base + pos_, null_len);
  pos_ += null_len;
  out.resize(width);
  std::size_t null_index = 0, json_index = 0;
  for (std::size_t i = 0; i < width; ++i) {
    const column_info& c = map_.columns[i];
    column_value& v = out[i];
    bool is_json = c.type == column_type::json;
    bool partial = is_json && !partial_bits.empty() && bit_set(partial_bits, json_index);
    json_index += is_json;
    if (!bit_set(columns, i)) {
      v.kind = value_kind::absent;
      continue;
    }
    if (bit_set(nulls, null_index++)) {
      v.kind = value_kind::null;
      continue;
    }
    std::size_t used;
    if (partial) {
      column_info diff = c;
      diff.type = column_type::blob;
      used = decode_value(diff, base + pos_, end - pos_, v);
      v.kind = value_kind::json_diff;
    } else {
      used = decode_value(c, base + pos_, end - pos_, v);
    }
    if (used == value_decode_failed)
      return fail(i + 1, end - pos_ == 0 ? "row data ends" : "value truncated or invalid");
    pos_ += used;
  }
  return {};
}

result<void> row_reader::next(row_change& out) {
  out.offset = pos_;
  if (ev_.version == 0)
    return make_error(errc::unsupported,
                      "{} on `{}`.`{}`: pre-GA row images hold the source's in-memory record "
                      "format, which the table map does not describe",
                      event_type_name(ev_.type), map_.db, map_.table);
  value_options_ = 0;
  if (ev_.has_before_image()) {
    if (auto r = read_image(ev_.columns_before, out.before, false); !r) return r;
  } else {
    out.before.clear();
  }
  if (ev_.has_after_image()) {
    if (auto r = read_image(ev_.columns_after, out.after, true); !r) return r;
  } else {
    out.after.clear();
  }
  out.value_options = value_options_;
  // A row that occupies no bytes (no columns in either bitmap) would repeat forever.
  if (pos_ == out.offset)
    return make_error(errc::corrupt, "{} on `{}`.`{}`: row image at offset {} is empty",
                      event_type_name(ev_.type), map_.db, map_.table, out.offset);
  return {};
}

}  // namespace binrelay::binlog
