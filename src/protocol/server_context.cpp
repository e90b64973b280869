#include "protocol/server_context.h"

#include <openssl/ssl.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "protocol/auth.h"

namespace binrelay::protocol {
namespace {

namespace ssl = boost::asio::ssl;

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("cannot read {}", path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::unique_ptr<ssl::context> make_tls_context(const server_options& o) {
  if (o.tls_cert_file.empty() && o.tls_key_file.empty()) return nullptr;
  if (o.tls_cert_file.empty() || o.tls_key_file.empty()) {
    throw std::runtime_error("TLS needs both a certificate file and a key file");
  }
  auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
  SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
  boost::system::error_code ec;
  if (ctx->use_certificate_chain_file(o.tls_cert_file, ec)) {
    throw std::runtime_error(
        fmt::format("cannot load TLS certificate {}: {}", o.tls_cert_file, ec.message()));
  }
  if (ctx->use_private_key_file(o.tls_key_file, ssl::context::pem, ec)) {
    throw std::runtime_error(
        fmt::format("cannot load TLS key {}: {}", o.tls_key_file, ec.message()));
  }
  return ctx;
}

void check_plugins(const server_options& o) {
  auto known = [](const std::string& p) {
    return p == native_password_plugin || p == caching_sha2_plugin;
  };
  if (!o.default_auth_plugin.empty() && !known(o.default_auth_plugin)) {
    throw std::runtime_error(
        fmt::format("unknown default authentication plugin '{}'", o.default_auth_plugin));
  }
  for (const auto& a : o.accounts) {
    if (!a.plugin.empty() && !known(a.plugin)) {
      throw std::runtime_error(
          fmt::format("account '{}' uses unknown authentication plugin '{}' (use {} or {})", a.user,
                      a.plugin, native_password_plugin, caching_sha2_plugin));
    }
  }
}

}  // namespace

server_context::server_context(server_options options)
    : options_(std::move(options)),
      throttle_(options_.login_throttle),
      next_id_(options_.first_connection_id) {
  check_plugins(options_);
  tls_ = make_tls_context(options_);
  if (options_.require_tls && !tls_) {
    throw std::runtime_error("TLS is required but no certificate and key are configured");
  }
  if (!options_.rsa_private_key_file.empty()) {
    auto key = rsa_private_key::from_pem(read_text_file(options_.rsa_private_key_file));
    if (!key) {
      throw std::runtime_error(
          fmt::format("RSA key {}: {}", options_.rsa_private_key_file, key.error().message));
    }
    rsa_key_ = std::move(*key);
  }
}

std::string plugin_for_version(std::string_view version) {
  bool mysql = version.find("MariaDB") == std::string_view::npos && version != placeholder_version;
  return std::string(mysql ? caching_sha2_plugin : native_password_plugin);
}

server_identity server_context::identity() const {
  std::string version =
      options_.version_provider ? options_.version_provider() : options_.server_version;
  std::string plugin = options_.default_auth_plugin.empty() ? plugin_for_version(version)
                                                            : options_.default_auth_plugin;
  return server_identity{std::move(version), std::move(plugin), tls_ != nullptr};
}

}  // namespace binrelay::protocol
