// binrelayd: the binrelay daemon. Parses flags and the config file into a daemon_config and
// runs it (src/relay/relay_daemon.h). See docs/operations.md.

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "common/log.h"
#include "daemon/relay_daemon.h"

namespace {

using namespace binrelay;
using namespace binrelay::relay;
using namespace binrelay::daemon;

struct cli_values {
  std::vector<std::string> upstreams;
  std::string password_file;
  std::string admin_password_file;
  std::string sync = "transaction";
  std::string tls_mode = "preferred";
  std::string server_uuid;
  std::string log_level = "info";
  std::uint64_t heartbeat_ms = 1000;
  std::uint64_t retention_hours = 0;
  std::uint64_t retention_bytes = 0;
};

upstream_endpoint parse_endpoint(const std::string& text) {
  upstream_endpoint ep;
  auto colon = text.rfind(':');
  ep.host = colon == std::string::npos ? text : text.substr(0, colon);
  if (colon != std::string::npos) {
    int port = std::stoi(text.substr(colon + 1));
    if (port <= 0 || port > 65535) throw CLI::ValidationError("--upstream", "bad port in " + text);
    ep.port = static_cast<std::uint16_t>(port);
  }
  return ep;
}

sync_policy parse_sync(const std::string& text) {
  if (text == "transaction") return {sync_mode::per_transaction, {}};
  if (text == "none") return {sync_mode::none, {}};
  if (text.rfind("interval:", 0) == 0) {
    return {sync_mode::interval, std::chrono::milliseconds(std::stoul(text.substr(9)))};
  }
  throw CLI::ValidationError("--sync", "expected transaction, interval:<ms> or none, got " + text);
}

protocol::tls_mode parse_tls_mode(const std::string& text) {
  if (text == "disabled") return protocol::tls_mode::disabled;
  if (text == "preferred") return protocol::tls_mode::preferred;
  if (text == "required") return protocol::tls_mode::required;
  throw CLI::ValidationError("--upstream-ssl-mode", "expected disabled, preferred or required");
}

// The first line of `file` (named by `flag`), else the environment variable `env_name`.
std::string read_password(const std::string& file, const char* flag, const char* env_name) {
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in) throw std::runtime_error(std::string("cannot read ") + flag + " " + file);
    std::string pw;
    std::getline(in, pw);
    return pw;
  }
  const char* env = std::getenv(env_name);
  return env ? env : "";
}

void add_options(CLI::App& app, daemon_config& c, cli_values& v) {
  app.set_config("--config", "", "Read options from this file (INI/TOML: key = value, keys as the long flags without --)");
  app.add_option("--upstream", v.upstreams,
                 "Primary to replicate from, HOST:PORT (default port 3306). Repeat for failover: "
                 "after a failed connection the next one is tried. Optional when CHANGE MASTER TO "
                 "on the admin port has set the source (persisted in DATA_DIR/source.conf, which "
                 "then wins)");
  app.add_option("--upstream-user", c.upstream.user, "Replication user on the primary");
  app.add_option("--upstream-password-file", v.password_file,
                 "File whose first line is the replication password (else the environment "
                 "variable BINRELAY_UPSTREAM_PASSWORD). Never logged or shown");
  app.add_option("--server-id", c.upstream.server_id,
                 "Our server_id as a replica; must differ from the primary's and every other replica's")
      ->required()
      ->check(CLI::Range(1u, 4294967295u));
  app.add_option("--server-uuid", v.server_uuid,
                 "Our server uuid; default: generated once and kept in DATA_DIR/server-uuid");
  app.add_option("--data-dir", c.store.directory, "Directory of the relay log files and state")->required();
  app.add_option("--relay-log-name", c.store.basename, "Base name of relay log files (NAME.000001, NAME.index)")
      ->capture_default_str();
  app.add_option("--relay-log-max-size", c.store.max_file_size,
                 "Start a new relay log file after this many bytes (at a transaction boundary)")
      ->capture_default_str();
  app.add_option("--sync", v.sync,
                 "When relay log writes reach the disk: 'transaction' (fdatasync per batch of "
                 "complete transactions), 'interval:<ms>', or 'none' (leave it to the OS)")
      ->capture_default_str();
  app.add_option("--heartbeat-period-ms", v.heartbeat_ms,
                 "Heartbeat period asked of the primary; no event or heartbeat for twice this "
                 "(plus 2 s) means the primary is gone and we reconnect")
      ->capture_default_str();
  app.add_option("--retention-hours", v.retention_hours, "Purge relay log files older than this (0: keep)");
  app.add_option("--retention-bytes", v.retention_bytes, "Purge oldest relay log files beyond this total size (0: keep)");
  app.add_option("--upstream-ssl-mode", v.tls_mode, "TLS to the primary: disabled, preferred, required")
      ->capture_default_str();
  app.add_option("--upstream-ssl-ca", c.upstream.tls.ca_file, "CA bundle (PEM) to verify the primary's certificate");
  app.add_flag("--upstream-ssl-verify-server-cert", c.upstream.tls.verify_server_cert,
               "Verify the primary's certificate and host name against --upstream-ssl-ca");
  app.add_option("--upstream-ssl-cert", c.upstream.tls.cert_file, "Client certificate (PEM) for the primary");
  app.add_option("--upstream-ssl-key", c.upstream.tls.key_file, "Private key (PEM) of --upstream-ssl-cert");
  app.add_flag("--upstream-compress", c.upstream.compress, "Use zlib protocol compression to the primary");
  app.add_option("--listen", c.admin.listen,
                 "Serve SQL on HOST:PORT (port 0: any free port, logged): the admin user's "
                 "statements (docs/admin-sql.md)");
  app.add_option("--admin-user", c.admin.user, "Admin user of the --listen port")->capture_default_str();
  app.add_option("--admin-password-file", v.admin_password_file,
                 "File whose first line is the admin password (else the environment variable "
                 "BINRELAY_ADMIN_PASSWORD)");
  app.add_option("--log-level", v.log_level, "debug, info, warn or error")->capture_default_str();
}

log::level parse_level(const std::string& s) {
  if (s == "debug") return log::level::debug;
  if (s == "warn") return log::level::warn;
  if (s == "error") return log::level::error;
  return log::level::info;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"binrelayd: a GTID-aware MySQL/MariaDB binlog relay. It replicates from a primary "
               "into crash-safe relay log files (docs/operations.md)."};
  daemon_config config;
  cli_values v;
  add_options(app, config, v);
  CLI11_PARSE(app, argc, argv);
  try {
    log::set_level(parse_level(v.log_level));
    for (const auto& u : v.upstreams) config.upstream.endpoints.push_back(parse_endpoint(u));
    config.upstream.password =
        read_password(v.password_file, "--upstream-password-file", "BINRELAY_UPSTREAM_PASSWORD");
    config.admin.password =
        read_password(v.admin_password_file, "--admin-password-file", "BINRELAY_ADMIN_PASSWORD");
    if (!config.admin.listen.empty() && config.admin.password.empty()) {
      throw std::runtime_error("--listen needs an admin password (--admin-password-file or "
                               "BINRELAY_ADMIN_PASSWORD)");
    }
    config.upstream.tls.mode = parse_tls_mode(v.tls_mode);
    config.upstream.heartbeat_period = std::chrono::milliseconds(v.heartbeat_ms);
    config.store.sync = parse_sync(v.sync);
    config.store.server_id = config.upstream.server_id;
    config.store.retention.max_age = std::chrono::hours(v.retention_hours);
    config.store.retention.max_total_size = v.retention_bytes;
    std::filesystem::create_directories(config.store.directory);
    auto uuid = load_or_create_server_uuid(config.store.directory, v.server_uuid);
    if (!uuid) throw std::runtime_error(uuid.error().describe());
    config.upstream.server_uuid = *uuid;
    auto r = run_daemon(config);
    if (!r) {
      log::error("binrelayd stopped: {}", r.error().describe());
      return 1;
    }
    return 0;
  } catch (const std::exception& e) {
    log::error("binrelayd: {}", e.what());
    return 2;
  }
}
