#pragma once
// source_settings: where binrelayd replicates from, as CHANGE MASTER TO sets it, persisted in
// the data directory so it survives restarts (docs/admin-sql.md, "CHANGE MASTER TO"):
//   DATA_DIR/source.conf      key = value lines: host, port, user, ssl, ssl_ca, ssl_cert,
//                             ssl_key, ssl_verify_server_cert, auto_position, use_gtid,
//                             connect_retry (everything but the password)
//   DATA_DIR/source-password  the password alone, mode 0600; never shown by SHOW SLAVE STATUS
// When source.conf exists it wins over --upstream/--upstream-user/--upstream-ssl-* flags, as
// MySQL's connection metadata repository wins over its startup options. Written atomically
// and durably (common/durable_file.h). Not thread-safe; the admin port calls it on one thread.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "common/durable_file.h"
#include "common/result.h"
#include "relay/upstream_session.h"

namespace binrelay::relay {

struct source_settings {
  std::string host;
  std::uint16_t port = 3306;
  std::string user;
  protocol::tls_options tls;
  bool auto_position = true;           // MASTER_AUTO_POSITION (always GTID-based here)
  std::string use_gtid = "slave_pos";  // MASTER_USE_GTID, for MariaDB sources
  std::uint32_t connect_retry_s = 60;  // MASTER_CONNECT_RETRY (backoff ceiling)
};

bool operator==(const source_settings& a, const source_settings& b);

// The settings the command line gave (first --upstream endpoint).
source_settings settings_from_config(const relay::upstream_config& config);
// `config` with host/port/user/TLS/retry from `s`. The password is left as it is. The
// endpoint list becomes the single endpoint of `s`.
relay::upstream_config apply_settings(relay::upstream_config config, const source_settings& s);

// nullopt when DATA_DIR/source.conf does not exist. Errors: io_error, corrupt (a bad line,
// named by file and line number).
result<std::optional<source_settings>> load_source_settings(const std::filesystem::path& dir);
result<void> save_source_settings(const std::filesystem::path& dir, const source_settings& s);
// nullopt when DATA_DIR/source-password does not exist.
result<std::optional<std::string>> load_source_password(const std::filesystem::path& dir);
// Written with mode 0600.
result<void> save_source_password(const std::filesystem::path& dir, const std::string& password);
// Deletes both files (RESET SLAVE ALL); missing files are fine.
result<void> remove_source_settings(const std::filesystem::path& dir);

}  // namespace binrelay::relay
