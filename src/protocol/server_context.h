#pragma once
// Everything the connections of one server share: its options, the TLS context built from its
// certificate, the RSA key for caching_sha2_password, the login cache and the connection-id
// counter. Built once at startup; loading errors throw (the operator must fix the
// configuration).
//
// Thread-safe: immutable after construction except the login cache and the login throttle
// (each with its own mutex) and the atomic id counter. It must outlive every connection and
// listener that uses it.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/ssl/context.hpp>

#include "protocol/server_auth.h"
#include "protocol/server_auth_exchange.h"
#include "protocol/server_handshake.h"
#include "protocol/server_login_cache.h"
#include "protocol/server_login_throttle.h"

namespace binrelay::protocol {

// The version a binrelay server announces while it knows no source's (no primary reached yet,
// no relay log): neither MySQL's nor MariaDB's.
inline constexpr std::string_view placeholder_version = "8.0.36-binrelay";

struct server_options {
  std::string server_version = std::string(placeholder_version);
  // When set, asked on the connection's thread for each greeting's version in place of
  // server_version (a relay serves a MySQL or a MariaDB binlog). Must be thread-safe.
  std::function<std::string()> version_provider;
  // The greeting's plugin; empty: by the announced version (plugin_for_version).
  std::string default_auth_plugin = "caching_sha2_password";
  std::vector<server_account> accounts;  // an account naming no plugin takes the greeting's
  std::string tls_cert_file;             // PEM chain; with tls_key_file enables TLS
  std::string tls_key_file;              // PEM private key
  bool require_tls = false;              // refuse clients that do not switch to TLS (ERR 3159)
  std::string rsa_private_key_file;      // caching_sha2 without TLS; empty: refuse such logins
  std::chrono::milliseconds handshake_timeout{10'000};      // greeting through authentication
  std::chrono::milliseconds idle_timeout{8 * 3600 * 1000};  // between commands (wait_timeout)
  std::chrono::milliseconds write_timeout{60'000};
  std::size_t max_packet_size = std::size_t(64) << 20;  // max_allowed_packet for commands
  // Largest packet read before login (HandshakeResponse, auth data): refused with ERR 1153
  // from its header, before its bytes are buffered. Real clients send a few hundred bytes.
  std::size_t max_handshake_packet_size = 16 * 1024;
  login_throttle_options login_throttle;  // back-off per source address after failed logins
  // The first connection id; the embedding server may keep lower ones for its own threads.
  std::uint32_t first_connection_id = 1;
};

// The plugin a server of `version` names in its greeting: caching_sha2_password for MySQL (its
// default since 8.0; MySQL 9 servers have no other), mysql_native_password for MariaDB (a
// MariaDB server as replica speaks no other) and for placeholder_version (both flavours'
// replicas up to MySQL 8.4 speak it).
std::string plugin_for_version(std::string_view version);

class server_context {
 public:
  // Throws std::runtime_error naming the file when a certificate or key cannot be loaded, or
  // when an account names a plugin other than mysql_native_password/caching_sha2_password.
  explicit server_context(server_options options);

  const server_options& options() const { return options_; }
  // null when TLS is not configured.
  boost::asio::ssl::context* tls() const { return tls_.get(); }
  const std::shared_ptr<const rsa_private_key>& rsa_key() const { return rsa_key_; }
  login_cache& cache() { return cache_; }
  login_throttle& throttle() { return throttle_; }
  server_identity identity() const;
  std::uint32_t next_connection_id() { return next_id_++; }

 private:
  server_options options_;
  std::unique_ptr<boost::asio::ssl::context> tls_;
  std::shared_ptr<const rsa_private_key> rsa_key_;
  login_cache cache_;
  login_throttle throttle_;
  std::atomic<std::uint32_t> next_id_;
};

}  // namespace binrelay::protocol
