// Optional metadata of TABLE_MAP events (MySQL 8.0.1+, MariaDB 10.5+): a sequence of
// `type u8 | length lenenc | value` fields. Layout: docs/rows.md, "Optional metadata".
#include <algorithm>

#include "binlog/table_map_event.h"

namespace binrelay::binlog {
namespace {

bool is_enum_or_set(column_type t) {
  return t == column_type::enum_ || t == column_type::set;
}

// Calls f(column) for each column matching `pred`, in order.
template <class Pred, class F>
void for_columns(table_map_event& t, Pred pred, F f) {
  for (column_info& c : t.columns)
    if (pred(c.type)) f(c);
}

// Bitmaps in optional metadata are most-significant-bit first.
void read_msb_bits(byte_reader& r, table_map_event& t, bool (*pred)(column_type),
                   void (*set)(column_info&, bool)) {
  std::size_t bit = 0;
  bytes_view bits = r.rest();
  for_columns(t, pred, [&](column_info& c) {
    if (bit / 8 < bits.size()) set(c, (bits[bit / 8] >> (7 - bit % 8)) & 1);
    ++bit;
  });
}

// DEFAULT_CHARSET form: default collation, then (index, collation) pairs for exceptions,
// the index counting only the covered columns.
void read_default_charset(byte_reader& r, table_map_event& t, bool (*pred)(column_type)) {
  std::uint32_t deflt = std::uint32_t(r.lenenc());
  std::vector<column_info*> cols;
  for_columns(t, pred, [&](column_info& c) { cols.push_back(&c); });
  for (column_info* c : cols) c->collation = deflt;
  while (r.ok() && !r.empty()) {
    std::uint64_t index = r.lenenc();
    std::uint32_t coll = std::uint32_t(r.lenenc());
    if (r.ok() && index < cols.size()) cols[index]->collation = coll;
  }
}

void read_column_charset(byte_reader& r, table_map_event& t, bool (*pred)(column_type)) {
  for_columns(t, pred, [&](column_info& c) {
    if (!r.empty()) c.collation = std::uint32_t(r.lenenc());
  });
}

void read_str_values(byte_reader& r, table_map_event& t, column_type which) {
  for_columns(
      t, [which](column_type ct) { return ct == which; },
      [&](column_info& c) {
        if (r.empty()) return;
        std::uint64_t n = r.lenenc();
        if (n > r.remaining()) return r.fail();
        c.str_values.reserve(n);
        for (std::uint64_t i = 0; i < n && r.ok(); ++i) c.str_values.push_back(r.str_lenenc());
      });
}

void read_field(byte_reader& r, table_map_event& t, table_map_metadata_type type) {
  using m = table_map_metadata_type;
  switch (type) {
    case m::signedness:
      return read_msb_bits(r, t, is_numeric_column,
                           [](column_info& c, bool b) { c.is_unsigned = b; });
    case m::default_charset:
      return read_default_charset(r, t, is_character_column);
    case m::column_charset:
      return read_column_charset(r, t, is_character_column);
    case m::enum_and_set_default_charset:
      return read_default_charset(r, t, is_enum_or_set);
    case m::enum_and_set_column_charset:
      return read_column_charset(r, t, is_enum_or_set);
    case m::column_name:
      for (column_info& c : t.columns)
        if (!r.empty()) c.name = r.str_lenenc();
      return;
    case m::set_str_value:
      return read_str_values(r, t, column_type::set);
    case m::enum_str_value:
      return read_str_values(r, t, column_type::enum_);
    case m::geometry_type:
      for_columns(
          t, [](column_type ct) { return ct == column_type::geometry; },
          [&](column_info& c) {
            if (!r.empty()) c.geometry_type = std::uint32_t(r.lenenc());
          });
      return;
    case m::simple_primary_key:
      while (r.ok() && !r.empty()) t.primary_key.push_back({std::uint32_t(r.lenenc()), 0});
      return;
    case m::primary_key_with_prefix:
      while (r.ok() && !r.empty()) {
        std::uint32_t col = std::uint32_t(r.lenenc());
        t.primary_key.push_back({col, std::uint32_t(r.lenenc())});
      }
      return;
    case m::column_visibility:
      return read_msb_bits(
          r, t, [](column_type) { return true; }, [](column_info& c, bool b) { c.visible = b; });
    case m::vector_dimensionality:
      for_columns(
          t, [](column_type ct) { return ct == column_type::vector; },
          [&](column_info& c) {
            if (!r.empty()) c.vector_dimensions = std::uint32_t(r.lenenc());
          });
      return;
  }
}

}  // namespace

result<void> parse_table_map_metadata(table_map_event& t, bytes_view tlvs) {
  byte_reader r(tlvs);
  while (!r.empty()) {
    std::uint8_t type = r.u8();
    std::uint64_t len = r.lenenc();
    if (!r.ok() || len > r.remaining())
      return make_error(errc::truncated,
                        "Table_map `{}`.`{}`: optional metadata field {} ({} bytes) truncated",
                        t.db, t.table, type, len);
    byte_reader field(r.bytes(len));
    if (type >= 1 && type <= 13) {
      t.metadata_present |= 1u << type;
      read_field(field, t, static_cast<table_map_metadata_type>(type));
      for (const primary_key_part& p : t.primary_key)
        if (p.column >= t.columns.size()) field.fail();
      if (!field.ok())
        return make_error(errc::corrupt,
                          "Table_map `{}`.`{}`: optional metadata field {} is malformed", t.db,
                          t.table, type);
    }
  }
  return {};
}

}  // namespace binrelay::binlog
