#pragma once
// The server side of the authentication exchange after the HandshakeResponse, as a sans-I/O
// state machine (docs/protocol.md, "Server side"). The connection passes the response to
// start(), sends every packet of the returned step, and while the outcome is `more` feeds the
// client's next packet to on_packet().
//
//   client plugin != account plugin  -> AuthSwitchRequest(account plugin, same scramble)
//   mysql_native_password            -> OK, or ERR 1045
//   caching_sha2_password            -> cached digest matches: AuthMoreData 0x03, OK
//                                       else AuthMoreData 0x04 (full authentication):
//                                         TLS: password + NUL in clear
//                                         plain TCP: 0x02 -> AuthMoreData(public key PEM),
//                                         then RSA-OAEP(password + NUL XOR scramble)
//                                       a proven password is remembered in the login cache
// Every refusal is ERR 1045 (28000) "Access denied for user 'u'@'host' (using password: YES)",
// whatever the cause, so a client cannot tell an unknown user from a wrong password.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "protocol/handshake_response.h"
#include "protocol/server_auth.h"
#include "protocol/server_login_cache.h"

namespace binrelay::protocol {

struct server_account {
  std::string user;
  std::string password;  // plain text from the configuration; empty: no password
  std::string plugin = "caching_sha2_password";  // empty: the greeting's plugin
};

struct server_auth_context {
  const std::vector<server_account>* accounts = nullptr;  // REQUIRES non-null; must outlive
  std::vector<std::uint8_t> scramble;                     // the greeting's 20 bytes
  bool secure_transport = false;                          // TLS is active
  std::string client_host;                                // for the refusal message
  std::shared_ptr<const rsa_private_key> rsa_key;         // null: no RSA exchange
  login_cache* cache = nullptr;                           // null: never the fast path
  std::uint16_t ok_status_flags = 0x0002;                 // status of the final OK
  std::string greeting_plugin = "caching_sha2_password";  // for accounts naming none
};

struct server_auth_step {
  enum class outcome { more, accepted, refused };
  outcome next = outcome::more;
  std::vector<std::vector<std::uint8_t>> replies;  // to send, in order (OK/ERR included)
};

class server_auth {
 public:
  explicit server_auth(server_auth_context context) : ctx_(std::move(context)) {}

  server_auth_step start(const handshake_response& response);
  server_auth_step on_packet(bytes_view payload);

  // The account that was accepted; valid after outcome::accepted.
  const std::string& user() const { return user_; }

 private:
  enum class state { idle, switched, sha2_full, sha2_key_sent, finished };

  server_auth_step check_scramble(bytes_view response);
  server_auth_step check_native(bytes_view response);
  server_auth_step check_sha2_fast(bytes_view response);
  server_auth_step on_full_auth(bytes_view payload);
  server_auth_step check_clear_password(std::string_view password);
  server_auth_step accept(std::vector<std::vector<std::uint8_t>> replies = {});
  server_auth_step refuse();

  server_auth_context ctx_;
  const server_account* account_ = nullptr;
  std::string plugin_;  // the account's, resolved
  std::string user_;
  bool password_used_ = false;
  state state_ = state::idle;
};

}  // namespace binrelay::protocol
