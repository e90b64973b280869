#pragma once
// The client side of the authentication exchange after the HandshakeResponse, as a sans-I/O
// state machine (docs/protocol.md, "Authentication"). The connection feeds each server packet
// to on_packet() and sends what it is told, until `done`.
//
//   OK               -> done
//   ERR              -> errc::auth_failed (server_errno set), or "requires TLS" when the
//                       server refuses insecure transport
//   AuthSwitchRequest-> answer with the new plugin's scramble
//   AuthMoreData     -> caching_sha2_password: 0x03 wait for OK; 0x04 full authentication:
//                       cleartext password over TLS, else RSA with the configured key, else ask
//                       for the key (0x02) when allowed; a PEM key -> encrypted password
//
// The password is kept only inside this object and never formatted into an error message.

#include <cstdint>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"

namespace binrelay::protocol {

struct client_auth_options {
  std::string user;
  std::string password;
  std::string server_name;        // "127.0.0.1:3306", for messages
  bool secure_transport = false;  // TLS is active: full auth may send the password in clear
  // The server offered TLS and we did not use it. MariaDB answers a plain login to a server
  // with require_secure_transport=ON with a bare "Access denied" (1045); the message then
  // says TLS may be required.
  bool tls_declined = false;
  std::string server_public_key_pem;
  bool allow_public_key_request = false;
};

struct auth_step {
  enum class action { send, wait, done };
  action next = action::wait;
  std::vector<std::uint8_t> reply;  // for action::send (may be empty: an empty password)
};

class client_auth {
 public:
  explicit client_auth(client_auth_options options) : options_(std::move(options)) {}

  // The plugin to name in the HandshakeResponse and its auth data, for the greeting's plugin
  // and scramble. An unknown greeting plugin falls back to mysql_native_password (the server
  // then switches us to what it needs).
  std::string plugin() const { return plugin_; }
  std::vector<std::uint8_t> initial_response(std::string_view greeting_plugin, bytes_view scramble);

  result<auth_step> on_packet(bytes_view payload);

 private:
  result<auth_step> on_switch(bytes_view payload);
  result<auth_step> on_more_data(bytes_view payload);
  result<auth_step> encrypted_password(std::string_view pem);
  binrelay::error refused(bytes_view err_payload) const;

  client_auth_options options_;
  std::string plugin_;
  std::vector<std::uint8_t> scramble_;
  bool key_requested_ = false;
};

}  // namespace binrelay::protocol
