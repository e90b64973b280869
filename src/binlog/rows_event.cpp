#include "binlog/rows_event.h"

#include "binlog/mariadb_compression.h"

namespace binrelay::binlog {

bool classify_rows_event(event_type t, rows_kind& kind, int& version, bool& compressed) {
  auto v = static_cast<std::uint8_t>(t);
  compressed = v >= 166 && v <= 172;
  if (v >= 20 && v <= 25) {
    version = v <= 22 ? 0 : 1;
    kind = static_cast<rows_kind>((v - 20) % 3);
  } else if (v >= 30 && v <= 32) {
    version = 2;
    kind = static_cast<rows_kind>(v - 30);
  } else if (v == 39) {
    version = 2;
    kind = rows_kind::partial_update;
  } else if (v >= 166 && v <= 168) {
    version = 1;
    kind = static_cast<rows_kind>(v - 166);
  } else if (v >= 169 && v <= 171) {
    version = 2;
    kind = static_cast<rows_kind>(v - 169);
  } else if (v == 172) {
    version = 2;
    kind = rows_kind::partial_update;
  } else {
    return false;
  }
  return true;
}

namespace {

// Reads table_id, flags and (v2) the extra data; then skips any post-header bytes a newer
// server added.
result<void> read_post_header(byte_reader& r, rows_event& e, const format_description& fde) {
  std::uint8_t declared = fde.post_header_length(e.type);
  std::size_t start = r.position();
  e.table_id = declared == 6 ? r.u32() : r.u48();
  e.flags = r.u16();
  if (e.version == 2) {
    std::uint16_t extra_len = r.u16();
    if (r.ok() && extra_len < 2)
      return make_error(errc::corrupt, "{}: extra data length {} < 2", event_type_name(e.type),
                        extra_len);
    if (declared > r.position() - start) r.skip(declared - (r.position() - start));
    e.extra_data = r.bytes(extra_len - 2u);
  } else if (declared > r.position() - start) {
    r.skip(declared - (r.position() - start));
  }
  if (!r.ok())
    return make_error(errc::truncated, "{}: post-header truncated", event_type_name(e.type));
  return {};
}

}  // namespace

result<rows_event> decode_rows_event(const event_header& h, bytes_view body,
                                     const format_description& fde) {
  rows_event e;
  e.type = h.type;
  if (!classify_rows_event(h.type, e.kind, e.version, e.compressed))
    return make_error(errc::unsupported, "event type {} is not a rows event", int(h.type));
  byte_reader r(body);
  if (auto res = read_post_header(r, e, fde); !res) return res.error();
  e.width = r.lenenc();
  if (!r.ok() || e.width > std::uint64_t(r.remaining()) * 8)
    return make_error(errc::truncated, "{} table_id {}: column count {} exceeds the event",
                      event_type_name(e.type), e.table_id, e.width);
  std::size_t bitmap_len = std::size_t((e.width + 7) / 8);
  e.columns_before = e.columns_after = r.bytes(bitmap_len);
  // Pre-GA UPDATE events carry one bitmap for both images.
  if ((e.kind == rows_kind::update && e.version != 0) || e.kind == rows_kind::partial_update)
    e.columns_after = r.bytes(bitmap_len);
  if (!r.ok())
    return make_error(errc::truncated, "{} table_id {}: column bitmaps truncated",
                      event_type_name(e.type), e.table_id);
  e.rows = r.rest();
  if (e.compressed) {
    auto plain = mariadb_uncompress(e.rows);
    if (!plain)
      return make_error(plain.error().code, "{} table_id {}: {}", event_type_name(e.type),
                        e.table_id, plain.error().message);
    e.decompressed = std::make_shared<const std::vector<std::uint8_t>>(std::move(*plain));
    e.rows = *e.decompressed;
  }
  return e;
}

}  // namespace binrelay::binlog
