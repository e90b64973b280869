#include "binlog/event.h"

#include "binlog/gtid_tagged_event.h"

namespace binrelay::binlog {

namespace {

// Wraps a family decoder's result into the variant, prefixing errors with the type name.
template <class T>
result<event_body> wrap(result<T> r, event_type t) {
  if (!r) return make_error(r.error().code, "{} event: {}", event_type_name(t), r.error().message);
  return event_body(std::move(*r));
}

result<event_body> decode_body(const event_header& h, bytes_view body,
                               const format_description& fde) {
  using et = event_type;
  const et t = h.type;
  switch (t) {
    case et::start_v3:
      return wrap(decode_start_v3_event(h, body, fde), t);
    case et::query:
    case et::mariadb_query_compressed:
      return wrap(decode_query_event(h, body, fde), t);
    case et::stop:
      return wrap(decode_stop_event(h, body, fde), t);
    case et::rotate:
      return wrap(decode_rotate_event(h, body, fde), t);
    case et::intvar:
      return wrap(decode_intvar_event(h, body, fde), t);
    case et::rand:
      return wrap(decode_rand_event(h, body, fde), t);
    case et::user_var:
      return wrap(decode_user_var_event(h, body, fde), t);
    case et::xid:
      return wrap(decode_xid_event(h, body, fde), t);
    case et::table_map:
      return wrap(decode_table_map_event(h, body, fde), t);
    case et::incident:
      return wrap(decode_incident_event(h, body, fde), t);
    case et::heartbeat:
    case et::heartbeat_v2:
      return wrap(decode_heartbeat_event(h, body, fde), t);
    case et::rows_query:
      return wrap(decode_rows_query_event(h, body, fde), t);
    case et::gtid:
    case et::anonymous_gtid:
      return wrap(decode_gtid_event(h, body, fde), t);
    case et::gtid_tagged:
      return wrap(decode_gtid_tagged_event(h, body, fde), t);
    case et::previous_gtids:
      return wrap(decode_previous_gtids_event(h, body, fde), t);
    case et::xa_prepare:
      return wrap(decode_xa_prepare_event(h, body, fde), t);
    case et::transaction_payload:
      return wrap(decode_transaction_payload_event(h, body, fde), t);
    case et::mariadb_annotate_rows:
      return wrap(decode_mariadb_annotate_rows_event(h, body, fde), t);
    case et::mariadb_binlog_checkpoint:
      return wrap(decode_mariadb_binlog_checkpoint_event(h, body, fde), t);
    case et::mariadb_gtid:
      return wrap(decode_mariadb_gtid_event(h, body, fde), t);
    case et::mariadb_gtid_list:
      return wrap(decode_mariadb_gtid_list_event(h, body, fde), t);
    case et::mariadb_start_encryption:
      return wrap(decode_mariadb_start_encryption_event(h, body, fde), t);
    default:
      break;
  }
  if (is_rows_event(t)) return wrap(decode_rows_event(h, body, fde), t);
  return event_body(unknown_event{body});
}

}  // namespace

result<decoded_event> decode_event(bytes_view raw_event, const format_description& fde) {
  auto h = decode_event_header(raw_event);
  if (!h) return h.error();
  if (raw_event.size() < h->event_size) {
    return make_error(errc::truncated, "{} event claims {} bytes, have {}",
                      event_type_name(h->type), h->event_size, raw_event.size());
  }
  decoded_event out;
  out.header = *h;
  out.header.type = fde.canonical_type(h->type);
  out.raw = raw_event.first(h->event_size);
  if (h->type == event_type::format_description) {
    auto f = decode_format_description(out.raw);
    if (!f) return f.error();
    std::size_t crc =
        f->checksum_length() != 0 || fde_has_checksum_alg(f->server_version) ? checksum_size : 0;
    std::size_t end = std::max(out.raw.size() - crc, event_header_size);
    out.body_bytes = out.raw.subspan(event_header_size, end - event_header_size);
    out.body = std::move(*f);
    return out;
  }
  std::size_t crc = fde.checksum_length();
  std::size_t header = std::max<std::size_t>(fde.header_length, event_header_size);
  if (h->event_size < header + crc) {
    return make_error(errc::truncated,
                      "{} event of {} bytes cannot hold a {}-byte header and "
                      "{}-byte checksum",
                      event_type_name(h->type), h->event_size, header, crc);
  }
  out.body_bytes = out.raw.subspan(header, h->event_size - header - crc);
  auto body = decode_body(out.header, out.body_bytes, fde);
  if (!body) return body.error();
  out.body = std::move(*body);
  return out;
}

}  // namespace binrelay::binlog
