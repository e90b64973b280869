#pragma once
// The server greeting, Protocol::HandshakeV10 (docs/protocol.md, "Greeting"):
//   protocol_version u8 (=10) | server_version NUL-string | connection_id u32 |
//   scramble[0..8] | 0x00 | capabilities low u16 | charset u8 | status u16 |
//   capabilities high u16 | scramble_length u8 | reserved[6] | MariaDB capabilities u32
//   (or 4 more zero bytes from MySQL) | scramble[8..] (max(13, scramble_length - 8) bytes,
//   NUL-terminated) | auth_plugin_name NUL-string
// MariaDB sends its extended capabilities (bits 32..63) only when it clears cap::long_password
// ("CLIENT_MYSQL"); MySQL servers always set that bit. Sans-I/O.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"

namespace binrelay::protocol {

struct handshake_v10 {
  std::string server_version;
  std::uint32_t connection_id = 0;
  std::vector<std::uint8_t> scramble;  // 20 bytes from every server we support
  std::uint64_t capabilities = 0;      // bits 32..63: MariaDB extended capabilities
  std::uint8_t charset = 0;
  std::uint16_t status_flags = 0;
  std::string auth_plugin_name;
  bool operator==(const handshake_v10&) const = default;

  bool is_mariadb() const;
};

// REQUIRES for a byte-exact round trip: scramble of 8..255 bytes.
result<handshake_v10> parse_handshake_v10(bytes_view payload);
std::vector<std::uint8_t> build_handshake_v10(const handshake_v10& greeting);

// The version a server reports, without MariaDB's "5.5.5-" replication-compatibility prefix.
std::string_view display_version(std::string_view server_version);

}  // namespace binrelay::protocol
