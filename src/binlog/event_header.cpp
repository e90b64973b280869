#include "binlog/event_header.h"

namespace binrelay::binlog {

result<event_header> decode_event_header(bytes_view data) {
  if (data.size() < event_header_size) {
    return make_error(errc::truncated, "event header needs {} bytes, have {}", event_header_size,
                      data.size());
  }
  const std::uint8_t* p = data.data();
  event_header h;
  h.timestamp = load_u32(p + timestamp_offset);
  h.type = static_cast<event_type>(p[type_offset]);
  h.server_id = load_u32(p + server_id_offset);
  h.event_size = load_u32(p + event_size_offset);
  h.log_pos = load_u32(p + log_pos_offset);
  h.flags = load_u16(p + flags_offset);
  if (h.event_size < event_header_size) {
    return make_error(errc::corrupt, "event size {} is smaller than the 19-byte header",
                      h.event_size);
  }
  return h;
}

void encode_event_header(const event_header& h, byte_writer& out) {
  out.u32(h.timestamp);
  out.u8(static_cast<std::uint8_t>(h.type));
  out.u32(h.server_id);
  out.u32(h.event_size);
  out.u32(h.log_pos);
  out.u16(h.flags);
}

}  // namespace binrelay::binlog
