#pragma once
// The client's answer to the greeting, Protocol::HandshakeResponse41, and the SSLRequest that
// precedes it when the connection switches to TLS (docs/protocol.md, "Handshake response"):
//   capabilities u32 | max_packet_size u32 | charset u8 | filler[19] |
//   MariaDB capabilities u32 (zero for MySQL) | user NUL-string |
//   auth_response (lenenc with PLUGIN_AUTH_LENENC_CLIENT_DATA, else u8 length) |
//   [database NUL-string if CONNECT_WITH_DB] | [auth_plugin NUL-string if PLUGIN_AUTH] |
//   [attributes: lenenc total, then lenenc key/value strings, if CONNECT_ATTRS]
// The SSLRequest is the first 32 bytes (up to and including the filler) alone.
// Sans-I/O; the same codec serves the server side (parse) and the client side (build).

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"

namespace binrelay::protocol {

struct handshake_response {
  std::uint64_t capabilities = 0;  // bits 32..63 go into the MariaDB field
  std::uint32_t max_packet_size = 1u << 30;
  std::uint8_t charset = 0;
  std::string user;
  std::vector<std::uint8_t> auth_response;
  std::string database;
  std::string auth_plugin_name;
  std::vector<std::pair<std::string, std::string>> attributes;
  bool operator==(const handshake_response&) const = default;
};

struct ssl_request {
  std::uint64_t capabilities = 0;
  std::uint32_t max_packet_size = 1u << 30;
  std::uint8_t charset = 0;
  bool operator==(const ssl_request&) const = default;
};

// REQUIRES: capabilities include cap::protocol_41.
std::vector<std::uint8_t> build_handshake_response(const handshake_response& response);
result<handshake_response> parse_handshake_response(bytes_view payload);

std::vector<std::uint8_t> build_ssl_request(const ssl_request& request);
// A server reads 32 bytes first and tells an SSLRequest from a full response by its size.
result<ssl_request> parse_ssl_request(bytes_view payload);
inline constexpr std::size_t ssl_request_size = 32;

}  // namespace binrelay::protocol
