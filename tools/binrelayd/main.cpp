// binrelayd: the binrelay daemon. Parses flags and the config file into a daemon_config and
// runs it (src/relay/relay_daemon.h). See docs/operations.md.

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>

#include "common/log.h"
#include "common/option_file.h"
#include "daemon/crash_report.h"
#include "daemon/option_file_flags.h"
#include "daemon/relay_daemon.h"

namespace {

using namespace binrelay;
using namespace binrelay::relay;
using namespace binrelay::daemon;

struct cli_values {
  std::string config_file;
  std::string pid_file;
  std::string log_file;
  std::string relay_log_name;
  std::vector<std::string> upstreams;
  std::string password_file;
  std::string sync = "transaction";
  std::string tls_mode = "preferred";
  std::string server_uuid;
  std::string log_level = "info";
  std::uint64_t heartbeat_ms = 1000;
  std::uint64_t monitor_ms = 5000;
  std::uint64_t progress_s = 10;
  std::uint64_t retention_hours = 0;
  std::uint64_t retention_bytes = 0;
  std::string listen;
  std::string repl_user;
  std::string repl_password_file;
  std::string repl_auth_plugin;  // empty: by the announced version
  std::string ssl_cert;
  std::string ssl_key;
  std::string rsa_key;
  bool require_tls = false;
  bool skip_ssl = false;
  std::string server_version;
  std::size_t max_connections = 256;
  std::size_t max_unauthenticated = 64;
  std::size_t max_handshake_packet = 16 * 1024;
  std::uint64_t handshake_timeout_ms = 10'000;
  std::size_t login_failure_limit = 20;
  std::uint64_t login_block_seconds = 60;
  bool allow_empty_password = false;
  std::size_t serve_threads = std::max(1u, std::thread::hardware_concurrency());
  std::string admin_user = "admin";
  std::string admin_password_file;
  std::string apply_to;
  std::string apply_password_file;
  bool apply_text_sql = false;
  std::string apply_method = "replay";
  std::string apply_parallel_mode = "conservative";
  binrelay::applier::applier_config apply;
  std::string metrics_listen;
};

// HOST[:PORT] (or [IPV6]:PORT) given to `flag`; without PORT, 3306 unless `port_required`.
upstream_endpoint parse_endpoint(const std::string& text, const char* flag,
                                 bool port_required = false) {
  upstream_endpoint ep;
  bool bracketed = text.starts_with('[');
  auto close = bracketed ? text.find(']') : std::string::npos;
  if (bracketed && close == std::string::npos)
    throw CLI::ValidationError(flag, "missing ']' in " + text);
  auto colon =
      bracketed ? (text.size() > close + 1 ? close + 1 : std::string::npos) : text.rfind(':');
  if (bracketed && colon != std::string::npos && text[colon] != ':')
    throw CLI::ValidationError(flag, "expected [ADDRESS]:PORT, got " + text);
  ep.host = bracketed ? text.substr(1, close - 1)
                      : (colon == std::string::npos ? text : text.substr(0, colon));
  if (ep.host.empty()) throw CLI::ValidationError(flag, "no host in '" + text + "'");
  if (colon == std::string::npos && port_required) {
    throw CLI::ValidationError(
        flag, "needs HOST:PORT, got '" + text + "' (no port: binrelayd does not guess one)");
  }
  if (colon != std::string::npos) {
    int port = -1;
    try {
      port = std::stoi(text.substr(colon + 1));
    } catch (const std::exception&) {
    }
    if (port < 0 || port > 65535) throw CLI::ValidationError(flag, "bad port in " + text);
    ep.port = static_cast<std::uint16_t>(port);
  }
  return ep;
}

sync_policy parse_sync(const std::string& text) {
  if (text == "transaction") return {sync_mode::per_transaction, {}};
  if (text == "none") return {sync_mode::none, {}};
  if (text.rfind("interval:", 0) == 0 && text.size() > 9 &&
      text.find_first_not_of("0123456789", 9) == std::string::npos && text.size() < 19) {
    return {sync_mode::interval, std::chrono::milliseconds(std::stoull(text.substr(9)))};
  }
  throw CLI::ValidationError("--sync", "expected transaction, interval:<ms> or none, got " + text);
}

// `parse` as a CLI11 check, so a bad value (also in the config file, naming its line) stops
// binrelayd before it touches the data directory: "" when `parse` accepts the text, else its
// complaint without the flag's name (CLI11 adds it).
template <class Parse>
CLI::Validator accepted_by(Parse parse) {
  return CLI::Validator(
      [parse](std::string& text) -> std::string {
        try {
          parse(text);
          return {};
        } catch (const CLI::ValidationError& e) {
          std::string what = e.what();
          auto colon = what.find(": ");
          return colon == std::string::npos ? what : what.substr(colon + 2);
        }
      },
      "");
}

protocol::tls_mode parse_tls_mode(const std::string& text) {
  if (text == "disabled") return protocol::tls_mode::disabled;
  if (text == "preferred") return protocol::tls_mode::preferred;
  if (text == "required") return protocol::tls_mode::required;
  throw CLI::ValidationError("--upstream-ssl-mode", "expected disabled, preferred or required");
}

// The first line of `file` (named by `flag`), else the environment variable `env_name`.
// A file others may read is used, with a warning (docs/operations.md, "Secrets").
std::string read_password(const std::string& file, const char* flag, const char* env_name) {
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in) throw std::runtime_error(std::string("cannot read ") + flag + " " + file);
    struct stat st {};
    if (::stat(file.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
      log::warn("{} {} is readable by group or others (mode {:o}); chmod 600 it", flag, file,
                st.st_mode & 0777);
    }
    std::string pw;
    std::getline(in, pw);
    return pw;
  }
  const char* env = std::getenv(env_name);
  return env ? env : "";
}

void add_serving_options(CLI::App& app, cli_values& v) {
  app.add_option("--listen", v.listen,
                 "Serve replicas and the admin user on HOST:PORT (the port is required; "
                 "[ADDRESS]:PORT for IPv6; docs/serving.md); without it nothing is served")
      ->check(accepted_by([](const std::string& t) { parse_endpoint(t, "--listen", true); }));
  app.add_option("--repl-user", v.repl_user,
                 "User replicas log in as; its connections may only replicate (admin statements "
                 "get ERR 1227)");
  app.add_option("--repl-password-file", v.repl_password_file,
                 "File whose first line is --repl-user's password (else the environment "
                 "variable BINRELAY_REPL_PASSWORD)");
  app.add_option("--repl-auth-plugin", v.repl_auth_plugin,
                 "mysql_native_password or caching_sha2_password; default: caching_sha2_password "
                 "when the announced version is MySQL's, mysql_native_password for MariaDB's")
      ->check(CLI::IsMember({"mysql_native_password", "caching_sha2_password"}));
  app.add_option("--ssl-cert", v.ssl_cert,
                 "Certificate chain (PEM) of the serving port; default: one generated in "
                 "--data-dir at the first start (ca.pem, server-cert.pem, server-key.pem)");
  app.add_flag("--skip-ssl", v.skip_ssl,
               "Serve without TLS (no certificate is generated; MySQL replicas then need "
               "SOURCE_SSL=0)");
  app.add_option("--ssl-key", v.ssl_key, "Private key (PEM) of --ssl-cert");
  app.add_flag("--require-secure-transport", v.require_tls,
               "Refuse serving-port logins that do not switch to TLS (ERR 3159); needs --ssl-cert");
  app.add_option("--rsa-key", v.rsa_key,
                 "RSA private key (PEM) for caching_sha2_password logins without TLS; "
                 "default: private_key.pem generated in --data-dir");
  app.add_option("--server-version", v.server_version,
                 "Version announced to replicas and clients (greeting, @@version); default: the "
                 "primary's, remembered in DATA_DIR/source-version (docs/serving.md)");
  app.add_option("--max-connections", v.max_connections,
                 "Logged-in connections the serving port accepts at once (more get ERR 1040); "
                 "one more is kept for the admin user (docs/security.md)")
      ->capture_default_str();
  app.add_option("--max-unauthenticated", v.max_unauthenticated,
                 "Connections in their handshake (not yet logged in) at once; one more waits up "
                 "to 2 s for a handshake to end, then is refused with ERR 1040")
      ->check(CLI::Range(std::size_t(1), std::size_t(100000)))
      ->capture_default_str();
  app.add_option("--max-handshake-packet", v.max_handshake_packet,
                 "Largest packet (bytes) a client may send before it logged in; larger is "
                 "refused with ERR 1153 before it is read")
      ->check(CLI::Range(std::size_t(1024), std::size_t(1) << 24))
      ->capture_default_str();
  app.add_option("--handshake-timeout-ms", v.handshake_timeout_ms,
                 "Time a client has from connecting to being logged in")
      ->check(CLI::Range(std::uint64_t(100), std::uint64_t(600'000)))
      ->capture_default_str();
  app.add_option("--login-failure-limit", v.login_failure_limit,
                 "Failed logins from one address within --login-block-seconds after which that "
                 "address is refused (ERR 1129) for --login-block-seconds; 0: no back-off")
      ->capture_default_str();
  app.add_option("--login-block-seconds", v.login_block_seconds,
                 "Window counting failed logins per address, and how long a block lasts")
      ->check(CLI::Range(std::uint64_t(1), std::uint64_t(86'400)))
      ->capture_default_str();
  app.add_flag("--allow-empty-password", v.allow_empty_password,
               "Let --repl-user (or an explicitly given --admin-user) log in without a password "
               "when none is configured; without this flag binrelayd refuses to start then");
  app.add_option("--serve-threads", v.serve_threads,
                 "Threads that serve the connections (replicas are spread over them)")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  app.add_option("--admin-user", v.admin_user,
                 "Admin user of the --listen port: SHOW SLAVE STATUS, START/STOP SLAVE, CHANGE "
                 "MASTER TO, ... (docs/admin-sql.md); enabled when its password is given; "
                 "given explicitly, it needs a password (or --allow-empty-password). One "
                 "connection past --max-connections is kept for it")
      ->capture_default_str();
  app.add_option("--admin-password-file", v.admin_password_file,
                 "File whose first line is the admin password (else the environment variable "
                 "BINRELAY_ADMIN_PASSWORD)");
}

void add_apply_options(CLI::App& app, cli_values& v) {
  app.add_option("--apply-to", v.apply_to,
                 "Apply the relay log to this downstream server, HOST:PORT (no port: 3306; "
                 "docs/applier.md)")
      ->check(accepted_by([](const std::string& t) { parse_endpoint(t, "--apply-to"); }));
  app.add_option("--apply-user", v.apply.user,
                 "User on the downstream (needs SUPER, or on MariaDB 10.5+ BINLOG ADMIN and "
                 "BINLOG REPLAY, on MySQL REPLICATION_APPLIER and SESSION_VARIABLES_ADMIN, to "
                 "keep GTIDs and replay row events; and CREATE on the binrelay schema)");
  app.add_option("--apply-password-file", v.apply_password_file,
                 "File whose first line is the downstream password (else the environment "
                 "variable BINRELAY_APPLY_PASSWORD)");
  app.add_option("--apply-workers", v.apply.workers, "Parallel applier connections")
      ->capture_default_str()
      ->check(CLI::Range(1u, applier::applier_config::max_workers));
  app.add_option("--apply-parallel-mode", v.apply_parallel_mode,
                 "Which transactions workers run at the same time: conservative (those the "
                 "primary marked independent: same group commit, LOGICAL_CLOCK) or optimistic "
                 "(any, as MariaDB's slave_parallel_mode=optimistic: a transaction that fails "
                 "before its turn is rolled back and run again; every transaction is sent "
                 "alone, so use it when the downstream waits on its disk)")
      ->capture_default_str()
      ->check(CLI::IsMember({"conservative", "optimistic"}));
  app.add_option("--apply-skip-gtid", v.apply.skip_gtid,
                 "Record this GTID as an empty transaction instead of applying it (once)");
  app.add_option("--apply-method", v.apply_method,
                 "How rows reach the downstream: replay (BINLOG statements of the events, "
                 "which the downstream applies itself; MariaDB sources, others fall back to "
                 "prepared), prepared (pipelined binary prepared statements per row), text "
                 "(SQL text)")
      ->capture_default_str()
      ->check(CLI::IsMember({"replay", "prepared", "text"}));
  app.add_option("--apply-batch", v.apply.max_replay_batch,
                 "replay: most transactions one worker sends in one round trip when nothing "
                 "earlier is in flight (1: every transaction alone, the most parallel)")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t(1), std::size_t(512)));
  app.add_option("--apply-batch-bytes", v.apply.max_replay_batch_bytes,
                 "replay: most bytes of BINLOG text in one round trip (also capped below the "
                 "downstream's max_allowed_packet); a larger transaction is applied as prepared "
                 "statements")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t(4096), std::size_t(1) << 30));
  app.add_flag("--apply-text-sql", v.apply_text_sql, "The same as --apply-method=text");
}

void add_failover_options(CLI::App& app, daemon_config& c, cli_values& v) {
  app.add_flag("--failover-accept-missing-gtids", c.upstream.accept_missing_gtids,
               "Stream from a new source even when it lacks transactions binrelayd already "
               "holds; they are then reported as errant (log, SHOW REPLICA SOURCES). Default: "
               "such a source is refused and the next one tried (docs/failover.md)");
  app.add_option("--source-monitor-interval-ms", v.monitor_ms,
                 "How often the Group Replication view is read from a member of the group")
      ->capture_default_str()
      ->check(CLI::Range(100u, 3'600'000u));
}

// HOST[:PORT][,WEIGHT] given to --upstream.
upstream_endpoint parse_weighted_endpoint(const std::string& text) {
  auto comma = text.find(',');
  upstream_endpoint ep = parse_endpoint(text.substr(0, comma), "--upstream");
  if (comma == std::string::npos) return ep;
  int weight = -1;
  try {
    weight = std::stoi(text.substr(comma + 1));
  } catch (const std::exception&) {
  }
  if (weight < 1 || weight > 100)
    throw CLI::ValidationError("--upstream", "weight must be 1-100 in " + text);
  ep.weight = static_cast<std::uint32_t>(weight);
  return ep;
}

void add_options(CLI::App& app, daemon_config& c, cli_values& v) {
  app.set_version_flag("-V,--version", "binrelayd " BINRELAY_VERSION);
  app.add_option("--config", v.config_file,
                 "Read options from the [binrelayd] group of this my.cnf-style file (key = value, "
                 "keys as the long flags without --; the command line wins; no passwords: "
                 "docs/operations.md, \"Config file\"). SIGHUP reads it again")
      ->configurable(false);
  app.add_option("--pid-file", v.pid_file,
                 "Write binrelayd's pid here once it holds --data-dir; removed at a clean exit");
  app.add_option("--log-file", v.log_file,
                 "Append the log here instead of stderr; reopened on SIGHUP (logrotate)");
  app.add_option("--upstream", v.upstreams,
                 "Source to replicate from, HOST:PORT[,WEIGHT] (no port: 3306; weight 1-100, "
                 "default 50). Repeat for a source list: the highest-weight healthy source is "
                 "used; a Group Replication member makes binrelayd learn its group and follow "
                 "its PRIMARY (docs/failover.md). Without it binrelayd only serves the relay log "
                 "in --data-dir (serve-only mode)")
      ->check(accepted_by([](const std::string& t) { parse_weighted_endpoint(t); }));
  app.add_option("--upstream-user", c.upstream.user,
                 "Replication user on the primary (required with --upstream)");
  app.add_option("--upstream-password-file", v.password_file,
                 "File whose first line is the replication password (else the environment "
                 "variable BINRELAY_UPSTREAM_PASSWORD). Never logged or shown");
  app.add_option("--server-id", c.upstream.server_id,
                 "Our server_id as a replica and as a source; must differ from the primary's and "
                 "every replica's (required with --upstream; default 1 in serve-only mode)")
      ->check(CLI::Range(1u, 4294967295u));
  app.add_option("--server-uuid", v.server_uuid,
                 "Our server uuid; default: generated once and kept in DATA_DIR/server-uuid");
  app.add_option("--data-dir", c.store.directory,
                 "Directory of the relay log files and state (required)");
  app.add_option("--relay-log-name", v.relay_log_name,
                 "Base name of relay log files (NAME.000001, NAME.index); default: the one "
                 "NAME.index in --data-dir (a store made by binrelay-import), else relay-bin");
  app.add_option("--relay-log-max-size", c.store.max_file_size,
                 "Start a new relay log file after this many bytes (at a transaction boundary)")
      ->capture_default_str();
  app.add_option("--sync", v.sync,
                 "When relay log writes reach the disk: 'transaction' (fdatasync per batch of "
                 "complete transactions), 'interval:<ms>', or 'none' (leave it to the OS)")
      ->check(accepted_by(parse_sync))
      ->capture_default_str();
  app.add_option("--heartbeat-period-ms", v.heartbeat_ms,
                 "Heartbeat period asked of the primary; no event or heartbeat for twice this "
                 "(plus 2 s) means the primary is gone and we reconnect")
      ->capture_default_str();
  app.add_option("--retention-hours", v.retention_hours,
                 "Purge relay log files older than this (0: keep); SIGHUP reloads it");
  app.add_option("--retention-bytes", v.retention_bytes,
                 "Purge oldest relay log files beyond this total size (0: keep); SIGHUP "
                 "reloads it");
  app.add_option("--upstream-ssl-mode", v.tls_mode,
                 "TLS to the primary: disabled, preferred, required")
      ->check(CLI::IsMember({"disabled", "preferred", "required"}))
      ->capture_default_str();
  app.add_option("--upstream-ssl-ca", c.upstream.tls.ca_file,
                 "CA bundle (PEM) to verify the primary's certificate");
  app.add_flag("--upstream-ssl-verify-server-cert", c.upstream.tls.verify_server_cert,
               "Verify the primary's certificate and host name against --upstream-ssl-ca");
  app.add_option("--upstream-ssl-cert", c.upstream.tls.cert_file,
                 "Client certificate (PEM) for the primary");
  app.add_option("--upstream-ssl-key", c.upstream.tls.key_file,
                 "Private key (PEM) of --upstream-ssl-cert");
  app.add_flag("--upstream-compress", c.upstream.compress,
               "Use zlib protocol compression to the primary");
  app.add_flag("--semi-sync", c.upstream.semi_sync,
               "Acknowledge transactions as a semi-synchronous replica once they are in the "
               "relay log (fdatasync'ed first with --sync=transaction)");
  add_failover_options(app, c, v);
  add_apply_options(app, v);
  app.add_option("--log-level", v.log_level, "debug, info, warn or error; SIGHUP reloads it")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}))
      ->capture_default_str();
  app.add_option("--metrics-listen", v.metrics_listen,
                 "HOST:PORT serving Prometheus metrics at /metrics (docs/metrics.md)");
  app.add_option("--progress-interval", v.progress_s,
                 "Seconds between progress lines while the IO thread, the applier or a replica "
                 "catches up (position, rate, time left; docs/operations.md)")
      ->capture_default_str()
      ->check(CLI::Range(1u, 3600u));
  add_serving_options(app, v);
}

void configure_upstream(daemon_config& config, const cli_values& v) {
  if (v.upstreams.empty()) return;
  if (config.upstream.user.empty())
    throw CLI::ValidationError("--upstream-user", "required with --upstream");
  if (config.upstream.server_id == 0)
    throw CLI::ValidationError("--server-id", "required with --upstream");
  for (const auto& u : v.upstreams) config.upstream.endpoints.push_back(parse_weighted_endpoint(u));
  config.upstream.monitor_interval = std::chrono::milliseconds(v.monitor_ms);
  config.upstream.password =
      read_password(v.password_file, "--upstream-password-file", "BINRELAY_UPSTREAM_PASSWORD");
  config.upstream.tls.mode = parse_tls_mode(v.tls_mode);
  config.upstream.heartbeat_period = std::chrono::milliseconds(v.heartbeat_ms);
}

// An account named on the command line without a password: refused unless
// --allow-empty-password, which is then logged (docs/security.md, "Passwords").
void check_password(const std::string& user, const std::string& password, const char* source,
                    bool allow_empty) {
  if (!password.empty()) return;
  if (!allow_empty) {
    throw std::runtime_error(fmt::format(
        "user '{}' has no password ({} is not given, empty or unreadable); set one, or pass "
        "--allow-empty-password to let it log in without one",
        user, source));
  }
  log::warn("user '{}' logs in WITHOUT a password (--allow-empty-password)", user);
}

void configure_serving(daemon_config& config, const cli_values& v, bool admin_user_given) {
  if (v.listen.empty()) return;
  std::string admin_pw =
      read_password(v.admin_password_file, "--admin-password-file", "BINRELAY_ADMIN_PASSWORD");
  if (v.repl_user.empty() && admin_pw.empty() && !admin_user_given) {
    throw CLI::ValidationError("--listen", "needs --repl-user or an admin password (or both)");
  }
  if (!v.repl_user.empty() && v.repl_user == v.admin_user) {
    throw CLI::ValidationError("--admin-user", "must differ from --repl-user");
  }
  serving_config s;
  auto ep = parse_endpoint(v.listen, "--listen", true);
  s.listen.address = ep.host;
  s.listen.port = ep.port;
  s.listen.max_connections = v.max_connections;
  s.threads = v.serve_threads;
  s.repl_user = v.repl_user;
  std::string pw =
      read_password(v.repl_password_file, "--repl-password-file", "BINRELAY_REPL_PASSWORD");
  s.server.default_auth_plugin.clear();  // by the announced version
  if (!v.repl_user.empty()) {
    check_password(v.repl_user, pw, "--repl-password-file / BINRELAY_REPL_PASSWORD",
                   v.allow_empty_password);
    s.server.accounts.push_back({v.repl_user, pw, v.repl_auth_plugin});
  }
  if (admin_user_given || !admin_pw.empty()) {
    check_password(v.admin_user, admin_pw, "--admin-password-file / BINRELAY_ADMIN_PASSWORD",
                   v.allow_empty_password);
    s.server.accounts.push_back({v.admin_user, admin_pw, ""});
  }
  s.listen.max_unauthenticated = v.max_unauthenticated;
  s.server.max_handshake_packet_size = v.max_handshake_packet;
  s.server.handshake_timeout = std::chrono::milliseconds(v.handshake_timeout_ms);
  s.server.login_throttle.max_failures = v.login_failure_limit;
  s.server.login_throttle.window = std::chrono::seconds(v.login_block_seconds);
  s.server.tls_cert_file = v.ssl_cert;
  s.server.tls_key_file = v.ssl_key;
  s.server.rsa_private_key_file = v.rsa_key;
  s.server.require_tls = v.require_tls;
  s.generated_tls = !v.skip_ssl;
  if (v.skip_ssl && (!v.ssl_cert.empty() || v.require_tls)) {
    throw CLI::ValidationError("--skip-ssl",
                               "contradicts --ssl-cert and --require-secure-transport");
  }
  s.identity.server_id = config.store.server_id;
  s.identity.version = v.server_version;
  s.identity.server_uuid = config.upstream.server_uuid;
  config.serving = std::move(s);
}

void configure_apply(daemon_config& config, const cli_values& v) {
  if (v.apply_to.empty()) return;
  applier::applier_config a = v.apply;
  a.method = v.apply_text_sql               ? applier::apply_method::text
             : v.apply_method == "text"     ? applier::apply_method::text
             : v.apply_method == "prepared" ? applier::apply_method::prepared
                                            : applier::apply_method::replay;
  a.parallel = v.apply_parallel_mode == "optimistic" ? applier::parallel_mode::optimistic
                                                     : applier::parallel_mode::conservative;
  auto ep = parse_endpoint(v.apply_to, "--apply-to");
  a.host = ep.host;
  a.port = ep.port;
  a.password =
      read_password(v.apply_password_file, "--apply-password-file", "BINRELAY_APPLY_PASSWORD");
  config.apply = std::move(a);
}

// The options given, by name, as text (reload.h compares them).
std::map<std::string, std::string> given_options(const CLI::App& app) {
  std::map<std::string, std::string> out;
  for (const CLI::Option* o : app.get_options()) {
    if (o->count() == 0) continue;
    std::string name = o->get_single_name();
    for (const auto& r : o->results()) out[name] += (out[name].empty() ? "" : ",") + r;
  }
  return out;
}

reloadable_settings reloadable(const CLI::App& app, const cli_values& v) {
  reloadable_settings r;
  r.given = given_options(app);
  r.log_level = log::parse_level(v.log_level).value_or(log::level::info);
  r.retention.max_age = std::chrono::hours(v.retention_hours);
  r.retention.max_total_size = v.retention_bytes;
  return r;
}

void configure(daemon_config& config, const CLI::App& app, const cli_values& v) {
  bool admin_user_given = app.count("--admin-user") > 0;
  if (config.store.directory.empty()) {
    throw std::runtime_error(
        "--data-dir is required (on the command line, or data-dir = DIR in --config)");
  }
  config.live = reloadable(app, v);
  log::set_level(config.live.log_level);
  if (config.upstream.server_id == 0 && v.upstreams.empty()) config.upstream.server_id = 1;
  configure_upstream(config, v);
  config.store.basename = v.relay_log_name;
  config.store.sync = parse_sync(v.sync);
  config.store.server_id = config.upstream.server_id;
  config.store.retention = config.live.retention;
  config.pid_file = v.pid_file;
  std::filesystem::create_directories(config.store.directory);
  auto uuid = load_or_create_server_uuid(config.store.directory, v.server_uuid);
  if (!uuid) throw std::runtime_error(uuid.error().describe());
  config.upstream.server_uuid = *uuid;
  configure_serving(config, v, admin_user_given);
  configure_apply(config, v);
  config.progress_interval = std::chrono::seconds(v.progress_s);
  config.upstream.progress_interval = config.progress_interval;
  if (!v.metrics_listen.empty()) {
    auto metrics = parse_metrics_endpoint(v.metrics_listen);
    if (!metrics) throw CLI::ValidationError("--metrics-listen", metrics.error().message);
    config.metrics = *metrics;
  }
}

// Fills the options the command line left unset from --config's [binrelayd] group. Returns
// the warnings to log (ignored loose- keys).
std::vector<std::string> read_config_file(CLI::App& app, const cli_values& v) {
  if (v.config_file.empty()) return {};
  static const std::vector<std::string> groups{"binrelayd"};
  auto entries = read_option_file(v.config_file, groups);
  if (!entries) throw std::runtime_error(entries.error().message);
  return apply_option_file(app, *entries);
}

// SIGHUP: the command line `args` and the config file read again into fresh options.
result<reloadable_settings> read_reloadable(const std::vector<std::string>& args) {
  try {
    CLI::App app;
    daemon_config config;
    cli_values v;
    add_options(app, config, v);
    app.parse(std::vector<std::string>(args.rbegin(), args.rend()));
    for (const auto& warning : read_config_file(app, v)) log::warn("{}", warning);
    return reloadable(app, v);
  } catch (const std::exception& e) {
    return make_error(errc::invalid_argument, "{}", e.what());
  }
}

}  // namespace

int main(int argc, char** argv) {
  binrelay::daemon::install_crash_report();
  CLI::App app{
      "binrelayd: a GTID-aware MySQL/MariaDB binlog relay. It replicates from a primary "
      "into crash-safe relay log files and serves them to replicas (docs/operations.md, "
      "docs/serving.md)."};
  daemon_config config;
  cli_values v;
  add_options(app, config, v);
  CLI11_PARSE(app, argc, argv);
  try {
    auto warnings = read_config_file(app, v);
    if (!v.log_file.empty()) {
      if (auto r = log::to_file(v.log_file); !r) throw std::runtime_error(r.error().message);
    }
    log::info("binrelayd {} starting (pid {}{})", BINRELAY_VERSION, ::getpid(),
              v.config_file.empty() ? std::string() : ", config " + v.config_file);
    for (const auto& warning : warnings) log::warn("{}", warning);
    configure(config, app, v);
    config.log_file = !v.log_file.empty();
    config.reload = [args = std::vector<std::string>(argv + 1, argv + argc)] {
      return read_reloadable(args);
    };
  } catch (const CLI::Error& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    log::error("binrelayd: {}", e.what());
    return 2;
  }
  try {
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
