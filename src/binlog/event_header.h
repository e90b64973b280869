#pragma once
// The v4 common event header (19 bytes) that starts every binlog event, and the constants of
// the binlog file format. Layout: docs/formats.md, "Event header".

#include <cstddef>
#include <cstdint>

#include "binlog/event_type.h"
#include "common/bytes.h"
#include "common/result.h"

namespace binrelay::binlog {

// Every binlog file starts with these 4 bytes.
inline constexpr std::uint8_t binlog_magic[4] = {0xFE, 0x62, 0x69, 0x6E};
// MySQL 8.0 encrypted binlog files start with this magic instead.
inline constexpr std::uint8_t encrypted_binlog_magic[4] = {0xFD, 0x62, 0x69, 0x6E};
inline constexpr std::size_t event_header_size = 19;
// Where each field of the header sits, from the start of the event.
inline constexpr std::size_t timestamp_offset = 0;   // u32
inline constexpr std::size_t type_offset = 4;        // u8, event_type
inline constexpr std::size_t server_id_offset = 5;   // u32
inline constexpr std::size_t event_size_offset = 9;  // u32
inline constexpr std::size_t log_pos_offset = 13;    // u32
inline constexpr std::size_t flags_offset = 17;      // u16
inline constexpr std::size_t checksum_size = 4;

// Header flags.
inline constexpr std::uint16_t flag_binlog_in_use = 0x0001;  // LOG_EVENT_BINLOG_IN_USE_F
inline constexpr std::uint16_t flag_thread_specific = 0x0004;
inline constexpr std::uint16_t flag_suppress_use = 0x0008;
inline constexpr std::uint16_t flag_artificial = 0x0020;  // LOG_EVENT_ARTIFICIAL_F
inline constexpr std::uint16_t flag_relay_log = 0x0040;   // LOG_EVENT_RELAY_LOG_F
inline constexpr std::uint16_t flag_ignorable = 0x0080;   // LOG_EVENT_IGNORABLE_F

struct event_header {
  std::uint32_t timestamp = 0;
  event_type type = event_type::unknown;
  std::uint32_t server_id = 0;
  std::uint32_t event_size = 0;  // whole event: header + body + checksum
  std::uint32_t log_pos = 0;     // end position of the event in the source's binlog
  std::uint16_t flags = 0;
};

// Decodes the first 19 bytes. Fails (truncated) when fewer, (corrupt) when event_size < 19.
result<event_header> decode_event_header(bytes_view data);
// Appends the 19-byte header.
void encode_event_header(const event_header& h, byte_writer& out);

}  // namespace binrelay::binlog
