#include "binlog/control_events.h"

namespace binrelay::binlog {

namespace {

error cut_short(std::string_view event, std::size_t body_size) {
  return make_error(errc::truncated, "{} event body of {} bytes ends inside a field", event,
                    body_size);
}

// Skips the part of a post-header this decoder does not know (longer post-headers of
// newer servers), after `known` bytes were read.
void skip_post_header_rest(byte_reader& r, const event_header& h, const format_description& fde,
                           std::size_t known) {
  std::size_t len = fde.post_header_length(h.type);
  if (len > known) r.skip(len - known);
}

result<heartbeat_event> decode_heartbeat_v2(bytes_view body) {
  heartbeat_event e;
  e.v2 = true;
  byte_reader r(body);
  while (!r.empty()) {
    auto type = r.lenenc();
    if (type == static_cast<std::uint64_t>(heartbeat_field::end)) break;
    bytes_view value = r.bytes(r.lenenc());
    if (!r.ok()) return cut_short("Heartbeat_v2", body.size());
    if (type == static_cast<std::uint64_t>(heartbeat_field::log_filename)) {
      e.log_filename = as_string_view(value);
    } else if (type == static_cast<std::uint64_t>(heartbeat_field::log_position)) {
      byte_reader v(value);
      e.log_position = v.lenenc();
      if (!v.ok() || !v.empty()) {
        return make_error(errc::corrupt,
                          "Heartbeat_v2 event log position field of {} bytes is "
                          "not one length-encoded integer",
                          value.size());
      }
    }
  }
  if (!r.ok()) return cut_short("Heartbeat_v2", body.size());
  return e;
}

}  // namespace

result<rotate_event> decode_rotate_event(const event_header& h, bytes_view body,
                                         const format_description& fde) {
  byte_reader r(body);
  rotate_event e;
  e.position = r.u64();
  skip_post_header_rest(r, h, fde, 8);
  if (!r.ok()) return cut_short("Rotate", body.size());
  e.new_log_name = as_string_view(r.rest());
  return e;
}

result<stop_event> decode_stop_event(const event_header&, bytes_view, const format_description&) {
  return stop_event{};
}

result<xid_event> decode_xid_event(const event_header&, bytes_view body,
                                   const format_description&) {
  byte_reader r(body);
  xid_event e{r.u64()};
  if (!r.ok()) return cut_short("Xid", body.size());
  return e;
}

result<intvar_event> decode_intvar_event(const event_header&, bytes_view body,
                                         const format_description&) {
  byte_reader r(body);
  intvar_event e;
  e.type = r.u8();
  e.value = r.u64();
  if (!r.ok()) return cut_short("Intvar", body.size());
  return e;
}

result<rand_event> decode_rand_event(const event_header&, bytes_view body,
                                     const format_description&) {
  byte_reader r(body);
  rand_event e;
  e.seed1 = r.u64();
  e.seed2 = r.u64();
  if (!r.ok()) return cut_short("Rand", body.size());
  return e;
}

result<user_var_event> decode_user_var_event(const event_header&, bytes_view body,
                                             const format_description&) {
  byte_reader r(body);
  user_var_event e;
  e.name = r.str(r.u32());
  e.is_null = r.u8() != 0;
  if (!e.is_null) {
    e.type = r.u8();
    e.charset = r.u32();
    e.value = r.bytes(r.u32());
    if (r.ok() && !r.empty()) e.flags = r.u8();
  }
  if (!r.ok()) return cut_short("User_var", body.size());
  return e;
}

result<incident_event> decode_incident_event(const event_header& h, bytes_view body,
                                             const format_description& fde) {
  byte_reader r(body);
  incident_event e;
  e.incident = r.u16();
  skip_post_header_rest(r, h, fde, 2);
  if (r.ok() && !r.empty()) e.message = r.str_u8();
  if (!r.ok()) return cut_short("Incident", body.size());
  return e;
}

result<heartbeat_event> decode_heartbeat_event(const event_header& h, bytes_view body,
                                               const format_description&) {
  if (h.type == event_type::heartbeat_v2) return decode_heartbeat_v2(body);
  heartbeat_event e;
  e.log_filename = as_string_view(body);
  e.log_position = h.log_pos;
  return e;
}

result<rows_query_event> decode_rows_query_event(const event_header&, bytes_view body,
                                                 const format_description&) {
  // A length byte (the text's length mod 256, unusable for long text) then the text.
  if (body.empty()) return cut_short("Rows_query", body.size());
  return rows_query_event{as_string_view(body.subspan(1))};
}

result<xa_prepare_event> decode_xa_prepare_event(const event_header&, bytes_view body,
                                                 const format_description&) {
  byte_reader r(body);
  xa_prepare_event e;
  e.one_phase = r.u8() != 0;
  e.format_id = r.u32();
  e.gtrid_length = r.u32();
  e.bqual_length = r.u32();
  if (r.ok() && (e.gtrid_length > 64 || e.bqual_length > 64)) {
    return make_error(errc::corrupt, "XA_prepare event xid lengths {}+{} exceed 64+64",
                      e.gtrid_length, e.bqual_length);
  }
  e.data = r.bytes(e.gtrid_length + e.bqual_length);
  if (!r.ok()) return cut_short("XA_prepare", body.size());
  return e;
}

result<start_v3_event> decode_start_v3_event(const event_header&, bytes_view body,
                                             const format_description&) {
  byte_reader r(body);
  start_v3_event e;
  e.binlog_version = r.u16();
  std::string_view v = r.str(50);
  e.server_version = v.substr(0, v.find('\0'));
  e.create_timestamp = r.u32();
  if (!r.ok()) return cut_short("Start_v3", body.size());
  return e;
}

}  // namespace binrelay::binlog
