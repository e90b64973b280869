#include "protocol/server_auth_exchange.h"

#include <algorithm>

#include "protocol/auth.h"
#include "protocol/constants.h"
#include "protocol/response_packets.h"
#include "protocol/server_errors.h"

namespace binrelay::protocol {
namespace {

std::vector<std::uint8_t> more_data(std::uint8_t status) {
  std::uint8_t byte[] = {status};
  return build_auth_more_data(byte);
}

// Clients send an empty password as nothing or as a single NUL.
bool is_empty_response(bytes_view response) {
  return response.empty() || (response.size() == 1 && response[0] == 0);
}

}  // namespace

server_auth_step server_auth::start(const handshake_response& response) {
  user_ = response.user;
  password_used_ = !is_empty_response(response.auth_response);
  auto it = std::find_if(ctx_.accounts->begin(), ctx_.accounts->end(),
                         [&](const server_account& a) { return a.user == response.user; });
  if (it == ctx_.accounts->end()) return refuse();
  account_ = &*it;
  plugin_ = account_->plugin.empty() ? ctx_.greeting_plugin : account_->plugin;
  std::string client_plugin = (response.capabilities & cap::plugin_auth)
                                  ? response.auth_plugin_name
                                  : std::string(native_password_plugin);
  if (client_plugin != plugin_) {
    state_ = state::switched;
    server_auth_step step;
    step.replies.push_back(build_auth_switch_request({plugin_, ctx_.scramble}));
    return step;
  }
  return check_scramble(response.auth_response);
}

server_auth_step server_auth::on_packet(bytes_view payload) {
  switch (state_) {
    case state::switched:
      password_used_ = !is_empty_response(payload);
      return check_scramble(payload);
    case state::sha2_full:
    case state::sha2_key_sent:
      return on_full_auth(payload);
    case state::idle:
    case state::finished:
      break;
  }
  return refuse();
}

server_auth_step server_auth::check_scramble(bytes_view response) {
  if (account_->password.empty()) return is_empty_response(response) ? accept() : refuse();
  if (is_empty_response(response)) return refuse();
  if (plugin_ == native_password_plugin) return check_native(response);
  if (plugin_ == caching_sha2_plugin) return check_sha2_fast(response);
  return refuse();
}

server_auth_step server_auth::check_native(bytes_view response) {
  bool ok =
      verify_native_password(response, ctx_.scramble, hash_native_password(account_->password));
  return ok ? accept() : refuse();
}

server_auth_step server_auth::check_sha2_fast(bytes_view response) {
  if (ctx_.cache) {
    auto cached = ctx_.cache->find(user_);
    if (cached && verify_caching_sha2_scramble(response, ctx_.scramble, *cached)) {
      std::vector<std::vector<std::uint8_t>> replies;
      replies.push_back(more_data(caching_sha2_fast_auth_success));
      return accept(std::move(replies));
    }
  }
  state_ = state::sha2_full;
  server_auth_step step;
  step.replies.push_back(more_data(caching_sha2_perform_full_auth));
  return step;
}

server_auth_step server_auth::on_full_auth(bytes_view payload) {
  if (ctx_.secure_transport) {
    std::string_view clear = as_string_view(payload);
    if (!clear.empty() && clear.back() == '\0') clear.remove_suffix(1);
    return check_clear_password(clear);
  }
  if (!ctx_.rsa_key) return refuse();
  bool key_request = payload.size() == 1 && payload[0] == caching_sha2_request_public_key;
  if (key_request && state_ == state::sha2_full) {
    state_ = state::sha2_key_sent;
    server_auth_step step;
    step.replies.push_back(build_auth_more_data(as_bytes(ctx_.rsa_key->public_key_pem())));
    return step;
  }
  auto password = ctx_.rsa_key->decrypt_password(payload, ctx_.scramble);
  if (!password) return refuse();
  return check_clear_password(*password);
}

server_auth_step server_auth::check_clear_password(std::string_view password) {
  if (!same_password(password, account_->password)) return refuse();
  if (ctx_.cache) ctx_.cache->remember(user_, digest_caching_sha2(password));
  return accept();
}

server_auth_step server_auth::accept(std::vector<std::vector<std::uint8_t>> replies) {
  state_ = state::finished;
  ok_packet ok;
  ok.status_flags = ctx_.ok_status_flags;
  replies.push_back(build_ok_packet(ok));
  return server_auth_step{server_auth_step::outcome::accepted, std::move(replies)};
}

server_auth_step server_auth::refuse() {
  state_ = state::finished;
  server_auth_step step{server_auth_step::outcome::refused, {}};
  step.replies.push_back(build_err_packet(access_denied(user_, ctx_.client_host, password_used_)));
  return step;
}

}  // namespace binrelay::protocol
