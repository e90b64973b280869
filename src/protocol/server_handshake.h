#pragma once
// What a binrelay server announces in its greeting and how the session's capabilities follow
// from the client's answer (docs/protocol.md, "Server side"). Sans-I/O.
//
// The server offers protocol 4.1 with plugin authentication, connect attributes,
// DEPRECATE_EOF and, when it has a certificate, SSL. It never offers compression or multiple
// statements. The capabilities of a session are what both sides set.

#include <cstdint>
#include <string>
#include <vector>

#include "protocol/handshake.h"

namespace binrelay::protocol {

struct server_identity {
  std::string server_version;  // e.g. "8.0.36-binrelay" or "5.5.5-10.11.6-MariaDB-binrelay"
  std::string auth_plugin;     // the plugin named in the greeting
  bool tls_available = false;
};

// Capabilities the server offers.
std::uint64_t server_capabilities(bool tls_available);

// REQUIRES: scramble of 20 bytes without NUL (generate_scramble()).
handshake_v10 make_server_greeting(const server_identity& identity, std::uint32_t connection_id,
                                   std::vector<std::uint8_t> scramble);

// The capabilities of the session: offered & requested.
std::uint64_t negotiate_capabilities(std::uint64_t offered, std::uint64_t client);

}  // namespace binrelay::protocol
