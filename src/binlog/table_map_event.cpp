#include "binlog/table_map_event.h"

namespace binrelay::binlog {
namespace {

// Reads one column's metadata bytes as mysqlbinlog combines them (column_info::meta).
std::uint16_t read_meta(byte_reader& r, column_type t) {
  switch (t) {
    case column_type::varchar:
    case column_type::varchar_compressed:
    case column_type::var_string:
    case column_type::bit:
      return r.u16();
    case column_type::newdecimal:
    case column_type::enum_:
    case column_type::set:
    case column_type::string: {
      std::uint16_t hi = r.u8();
      return std::uint16_t(hi << 8 | r.u8());
    }
    default:
      return column_metadata_size(t) == 1 ? r.u8() : 0;
  }
}

// STRING columns fold the real type (ENUM, SET, STRING) into the first metadata byte, and
// for CHAR longer than 255 bytes also bits 8-9 of the length (XOR 0x30).
void unfold_string_type(column_info& c) {
  if (c.wire_type != column_type::string) return;
  c.length = c.meta;
  if (c.meta < 256) return;
  std::uint8_t byte0 = std::uint8_t(c.meta >> 8);
  std::uint8_t byte1 = std::uint8_t(c.meta & 0xFF);
  if ((byte0 & 0x30) != 0x30) {
    c.length = std::uint32_t(byte1 | (((byte0 & 0x30) ^ 0x30) << 4));
    c.type = static_cast<column_type>(byte0 | 0x30);
  } else {
    c.length = byte1;
    c.type = static_cast<column_type>(byte0);
  }
}

}  // namespace

result<table_map_event> decode_table_map_event(const event_header&, bytes_view body,
                                               const format_description& fde) {
  byte_reader r(body);
  table_map_event t;
  bool short_id = fde.post_header_length(event_type::table_map) == 6;
  t.table_id = short_id ? r.u32() : r.u48();
  t.flags = r.u16();
  std::uint8_t db_len = r.u8();
  t.db = r.str(db_len);
  r.skip(1);
  std::uint8_t tbl_len = r.u8();
  t.table = r.str(tbl_len);
  r.skip(1);
  std::uint64_t column_count = r.lenenc();
  if (!r.ok() || column_count > r.remaining())
    return make_error(errc::truncated, "Table_map: header of table_id {} ends at byte {} of {}",
                      t.table_id, r.position(), body.size());
  bytes_view types = r.bytes(column_count);
  // MySQL 5.1 before 5.1.? ends the event after the type array: no metadata, no null bitmap.
  byte_reader meta;
  const bool has_meta = !r.empty();
  if (has_meta) {
    std::uint64_t meta_len = r.lenenc();
    if (!r.ok() || meta_len > r.remaining())
      return make_error(errc::truncated, "Table_map `{}`.`{}`: metadata block ({} bytes) truncated",
                        t.db, t.table, meta_len);
    meta = byte_reader(r.bytes(meta_len));
    t.null_bitmap = r.bytes((column_count + 7) / 8);
    if (!r.ok())
      return make_error(errc::truncated, "Table_map `{}`.`{}`: null bitmap truncated", t.db,
                        t.table);
  }
  t.columns.resize(column_count);
  for (std::size_t i = 0; i < column_count; ++i) {
    column_info& c = t.columns[i];
    c.wire_type = c.type = static_cast<column_type>(types[i]);
    c.meta = has_meta ? read_meta(meta, c.wire_type) : 0;
    c.nullable = !t.null_bitmap.empty() && ((t.null_bitmap[i / 8] >> (i % 8)) & 1);
    unfold_string_type(c);
    if (c.type == column_type::json) ++t.json_column_count;
  }
  if (!meta.ok())
    return make_error(errc::corrupt, "Table_map `{}`.`{}`: metadata block too short for {} columns",
                      t.db, t.table, column_count);
  t.optional_metadata = r.rest();
  if (auto res = parse_table_map_metadata(t, t.optional_metadata); !res) return res.error();
  return t;
}

}  // namespace binrelay::binlog
