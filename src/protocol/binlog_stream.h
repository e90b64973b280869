#pragma once
// Packets of the binlog stream that follows COM_BINLOG_DUMP[_GTID] (docs/protocol.md,
// "Binlog stream"):
//   event     0x00 | [0xEF | ack_requested u8, when semi-sync was negotiated] | binlog event
//   end       EOF packet (0xFE, shorter than 9 bytes), only with dump_flag::non_block
//   error     ERR packet (1236 for "cannot serve this position")
//   semi-sync ACK (replica → source): 0xEF | position u64 | file name
// Sans-I/O.

#include <cstdint>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"

namespace binrelay::protocol {

struct stream_packet {
  enum class kind { event, end };
  kind what = kind::event;
  bytes_view event;  // the whole binlog event, checksum included; aliases the payload
  bool semi_sync_ack_requested = false;
};

// An ERR payload becomes errc::server_error (server_errno set), naming the source as
// `source`. REQUIRES: `payload` outlives the returned view.
result<stream_packet> parse_stream_packet(bytes_view payload, bool semi_sync,
                                          std::string_view source);

// `semi_sync` adds the 0xEF header. Returns the payload.
std::vector<std::uint8_t> build_stream_event(bytes_view event, bool semi_sync = false,
                                             bool ack_requested = false);

// Appends the frames of the event packet `0x00 | event` to `out` (packet_framing.h: split at
// 0xFFFFFF bytes, ids numbered from `sequence`, which is advanced), copying the event once and
// allocating nothing when `out` has the capacity.
void append_stream_event_frames(std::vector<std::uint8_t>& out, bytes_view event,
                                std::uint8_t& sequence);

struct semi_sync_ack {
  std::uint64_t position = 0;
  std::string file_name;
  bool operator==(const semi_sync_ack&) const = default;
};
std::vector<std::uint8_t> build_semi_sync_ack(const semi_sync_ack& ack);
result<semi_sync_ack> parse_semi_sync_ack(bytes_view payload);

}  // namespace binrelay::protocol
