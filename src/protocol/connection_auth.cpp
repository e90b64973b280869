// connection: the TLS switch and the authentication exchange of connect_and_authenticate().
#include "protocol/connection.h"

#include <openssl/ssl.h>

#include <boost/asio/ssl.hpp>

#include "protocol/auth_exchange.h"
#include "protocol/constants.h"
#include "protocol/handshake_response.h"

namespace binrelay::protocol {

namespace asio = boost::asio;
using asio::awaitable;
using boost::system::error_code;

awaitable<result<void>> connection::start_tls(const connection_options& options) {
  const tls_options& t = options.tls;
  auto ctx = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
  error_code ec;
  if (!t.ca_file.empty() && ctx->load_verify_file(t.ca_file, ec)) {
    co_return make_error(errc::invalid_argument, "cannot load TLS CA file {}: {}", t.ca_file,
                         ec.message());
  }
  if (!t.cert_file.empty() && ctx->use_certificate_chain_file(t.cert_file, ec)) {
    co_return make_error(errc::invalid_argument, "cannot load TLS certificate {}: {}", t.cert_file,
                         ec.message());
  }
  if (!t.key_file.empty() && ctx->use_private_key_file(t.key_file, asio::ssl::context::pem, ec)) {
    co_return make_error(errc::invalid_argument, "cannot load TLS key {}: {}", t.key_file,
                         ec.message());
  }
  ctx->set_verify_mode(t.verify_server_cert ? asio::ssl::verify_peer : asio::ssl::verify_none);
  tls_context_ = std::move(ctx);
  std::string_view verify_host = t.verify_server_cert ? std::string_view(options.host) : "";
  co_return co_await transport_.start_tls(*tls_context_, verify_host);
}

awaitable<result<void>> connection::authenticate(const connection_options& options) {
  client_auth_options auth_options;
  auth_options.user = options.user;
  auth_options.password = options.password;
  auth_options.server_name = server_name();
  auth_options.secure_transport = tls_active();
  auth_options.tls_declined = !tls_active() && (greeting_.capabilities & cap::ssl);
  auth_options.server_public_key_pem = options.server_public_key_pem;
  auth_options.allow_public_key_request = options.allow_public_key_request;
  client_auth auth(std::move(auth_options));
  handshake_response response;
  response.capabilities = capabilities_;
  response.max_packet_size = std::uint32_t(options.max_packet_size);
  response.charset = default_charset;
  response.user = options.user;
  response.auth_response = auth.initial_response(greeting_.auth_plugin_name, greeting_.scramble);
  response.auth_plugin_name = auth.plugin();
  response.database = options.database;
  response.attributes = options.attributes;
  auto payload = build_handshake_response(response);
  if (auto r = co_await write_packet(payload); !r) co_return r.error();
  for (int round = 0; round < 8; ++round) {
    auto packet = co_await read_packet();
    if (!packet) co_return packet.error();
    auto step = auth.on_packet(*packet);
    if (!step) co_return step.error();
    if (step->next == auth_step::action::done) co_return result<void>();
    if (step->next == auth_step::action::send) {
      if (auto r = co_await write_packet(step->reply); !r) co_return r.error();
    }
  }
  co_return make_error(errc::protocol_error, "server {} did not finish authentication",
                       server_name());
}

}  // namespace binrelay::protocol
