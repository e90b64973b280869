#include "protocol/server_handshake.h"

#include "protocol/constants.h"

namespace binrelay::protocol {

std::uint64_t server_capabilities(bool tls_available) {
  std::uint64_t caps = cap::long_password | cap::found_rows | cap::long_flag |
                       cap::connect_with_db | cap::protocol_41 | cap::transactions |
                       cap::secure_connection | cap::multi_results | cap::plugin_auth |
                       cap::connect_attrs | cap::plugin_auth_lenenc_client_data |
                       cap::deprecate_eof;
  if (tls_available) caps |= cap::ssl;
  return caps;
}

handshake_v10 make_server_greeting(const server_identity& identity, std::uint32_t connection_id,
                                   std::vector<std::uint8_t> scramble) {
  handshake_v10 g;
  g.server_version = identity.server_version;
  g.connection_id = connection_id;
  g.scramble = std::move(scramble);
  g.capabilities = server_capabilities(identity.tls_available);
  g.charset = default_charset;
  g.status_flags = status::autocommit;
  g.auth_plugin_name = identity.auth_plugin;
  return g;
}

std::uint64_t negotiate_capabilities(std::uint64_t offered, std::uint64_t client) {
  return offered & client;
}

}  // namespace binrelay::protocol
