#include "protocol/binlog_stream.h"

#include <cstring>

#include "protocol/constants.h"
#include "protocol/packet_framing.h"
#include "protocol/response_packets.h"

namespace binrelay::protocol {

result<stream_packet> parse_stream_packet(bytes_view payload, bool semi_sync,
                                          std::string_view source) {
  if (payload.empty()) return make_error(errc::protocol_error, "empty packet in binlog stream");
  stream_packet p;
  switch (payload[0]) {
    case ok_header:
      break;
    case eof_header:
      if (!is_eof_packet(payload)) break;
      p.what = stream_packet::kind::end;
      return p;
    case err_header: {
      auto err = parse_err_packet(payload);
      if (!err) return err.error();
      return err->to_error(fmt::format("source {} stopped the binlog stream", source));
    }
    default:
      break;
  }
  if (payload[0] != ok_header) {
    return make_error(errc::protocol_error, "binlog stream packet with header 0x{:02x}",
                      payload[0]);
  }
  bytes_view rest = payload.subspan(1);
  if (semi_sync) {
    if (rest.size() < 2 || rest[0] != semi_sync_indicator) {
      return make_error(errc::protocol_error,
                        "binlog stream packet lacks the semi-sync header (0xEF)");
    }
    p.semi_sync_ack_requested = rest[1] & 0x01;
    rest = rest.subspan(2);
  }
  p.event = rest;
  return p;
}

std::vector<std::uint8_t> build_stream_event(bytes_view event, bool semi_sync, bool ack_requested) {
  std::vector<std::uint8_t> out;
  if (semi_sync) {
    out = {ok_header, semi_sync_indicator, std::uint8_t(ack_requested ? 0x01 : 0x00)};
  } else {
    out = {ok_header};
  }
  out.insert(out.end(), event.begin(), event.end());
  return out;
}

void append_stream_event_frames(std::vector<std::uint8_t>& out, bytes_view event,
                                std::uint8_t& sequence) {
  std::size_t payload_size = event.size() + 1;
  if (payload_size >= max_frame_payload) {
    append_frames(out, build_stream_event(event), sequence);
    return;
  }
  const std::uint8_t head[frame_header_size + 1] = {
      std::uint8_t(payload_size), std::uint8_t(payload_size >> 8), std::uint8_t(payload_size >> 16),
      sequence++, ok_header};
  out.insert(out.end(), head, head + sizeof head);
  out.insert(out.end(), event.begin(), event.end());
}

std::vector<std::uint8_t> build_semi_sync_ack(const semi_sync_ack& ack) {
  std::vector<std::uint8_t> out(9);
  out[0] = semi_sync_indicator;
  std::memcpy(out.data() + 1, &ack.position, 8);
  byte_writer w(out);
  w.str(ack.file_name);
  return out;
}

result<semi_sync_ack> parse_semi_sync_ack(bytes_view payload) {
  byte_reader r(payload);
  std::uint8_t header = r.u8();
  semi_sync_ack ack;
  ack.position = r.u64();
  if (!r.ok()) return make_error(errc::truncated, "semi-sync ACK is truncated");
  if (header != semi_sync_indicator) {
    return make_error(errc::protocol_error, "semi-sync ACK must start with 0xEF");
  }
  ack.file_name = std::string(as_string_view(r.rest()));
  return ack;
}

}  // namespace binrelay::protocol
