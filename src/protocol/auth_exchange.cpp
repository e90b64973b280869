#include "protocol/auth_exchange.h"

#include "protocol/auth.h"
#include "protocol/constants.h"
#include "protocol/response_packets.h"

namespace binrelay::protocol {
namespace {

// ER_SECURE_TRANSPORT_REQUIRED (MySQL 5.7+).
constexpr std::uint16_t er_secure_transport_required = 3159;
constexpr std::uint16_t er_access_denied = 1045;

}  // namespace

std::vector<std::uint8_t> client_auth::initial_response(std::string_view greeting_plugin,
                                                        bytes_view scramble) {
  scramble_.assign(scramble.begin(), scramble.end());
  plugin_ = greeting_plugin == caching_sha2_plugin ? caching_sha2_plugin : native_password_plugin;
  auto response = auth_response_for(plugin_, options_.password, scramble_);
  assert(response);
  return std::move(*response);
}

result<auth_step> client_auth::on_packet(bytes_view payload) {
  if (payload.empty())
    return make_error(errc::protocol_error, "empty packet during authentication");
  switch (payload[0]) {
    case ok_header:
      return auth_step{auth_step::action::done, {}};
    case err_header:
      return refused(payload);
    case auth_switch_header:
      return on_switch(payload);
    case auth_more_data_header:
      return on_more_data(payload);
    default:
      return make_error(errc::protocol_error,
                        "server {} sent packet 0x{:02x} during authentication",
                        options_.server_name, payload[0]);
  }
}

binrelay::error client_auth::refused(bytes_view err_payload) const {
  auto err = parse_err_packet(err_payload);
  if (!err) return err.error();
  binrelay::error e;
  if (err->error_code == er_secure_transport_required) {
    e = make_error(errc::auth_failed, "server {} requires TLS (enable TLS for this connection): {}",
                   options_.server_name, err->describe());
  } else {
    e = make_error(errc::auth_failed, "server {} refused authentication for user '{}': {}",
                   options_.server_name, options_.user, err->describe());
    if (err->error_code == er_access_denied && options_.tls_declined) {
      e.message +=
          " (the server offers TLS but this connection did not use it; if the server "
          "requires TLS (require_secure_transport=ON), enable TLS)";
    }
  }
  e.server_errno = err->error_code;
  return e;
}

result<auth_step> client_auth::on_switch(bytes_view payload) {
  auto request = parse_auth_switch_request(payload);
  if (!request) return request.error();
  auto response = auth_response_for(request->plugin_name, options_.password, request->plugin_data);
  if (!response) {
    return make_error(errc::unsupported,
                      "server {} asks for authentication plugin '{}', which "
                      "binrelay does not implement",
                      options_.server_name, request->plugin_name);
  }
  plugin_ = request->plugin_name;
  scramble_ = request->plugin_data;
  return auth_step{auth_step::action::send, std::move(*response)};
}

result<auth_step> client_auth::on_more_data(bytes_view payload) {
  auto data = parse_auth_more_data(payload);
  if (!data) return data.error();
  if (plugin_ != caching_sha2_plugin) {
    return make_error(errc::protocol_error, "unexpected AuthMoreData for plugin {}", plugin_);
  }
  if (key_requested_) return encrypted_password(as_string_view(*data));
  if (data->size() != 1) {
    return make_error(errc::protocol_error, "unexpected caching_sha2_password data ({} bytes)",
                      data->size());
  }
  if ((*data)[0] == caching_sha2_fast_auth_success) return auth_step{auth_step::action::wait, {}};
  if ((*data)[0] != caching_sha2_perform_full_auth) {
    return make_error(errc::protocol_error, "unknown caching_sha2_password status 0x{:02x}",
                      (*data)[0]);
  }
  if (options_.secure_transport) {
    std::vector<std::uint8_t> clear(options_.password.begin(), options_.password.end());
    clear.push_back(0);
    return auth_step{auth_step::action::send, std::move(clear)};
  }
  if (!options_.server_public_key_pem.empty()) {
    return encrypted_password(options_.server_public_key_pem);
  }
  if (options_.allow_public_key_request) {
    key_requested_ = true;
    return auth_step{auth_step::action::send, {caching_sha2_request_public_key}};
  }
  return make_error(errc::auth_failed,
                    "server {} requires full caching_sha2_password authentication for user '{}': "
                    "enable TLS, configure the server's RSA public key, or allow requesting it",
                    options_.server_name, options_.user);
}

result<auth_step> client_auth::encrypted_password(std::string_view pem) {
  auto encrypted = caching_sha2_encrypt_password(options_.password, scramble_, pem);
  if (!encrypted) return encrypted.error();
  return auth_step{auth_step::action::send, std::move(*encrypted)};
}

}  // namespace binrelay::protocol
