#include "daemon/admin_live_state.h"

#include <boost/asio/co_spawn.hpp>

#include "common/log.h"
#include "common/log_text.h"
#include "relay/source_list_file.h"

namespace binrelay::daemon {
namespace asio = boost::asio;

namespace {

error with_errno(error e, std::uint16_t errno_value) {
  e.server_errno = errno_value;
  return e;
}

}  // namespace

live_admin_state::live_admin_state(asio::any_io_executor executor, relay::relay_store& store,
                                   relay::upstream_status& status, relay::upstream_config base,
                                   std::filesystem::path data_dir, relay::serve_identity identity)
    : executor_(std::move(executor)),
      store_(store),
      status_(status),
      base_(std::move(base)),
      data_dir_(std::move(data_dir)),
      identity_(std::move(identity)),
      settings_(relay::settings_from_config(base_)) {}

result<void> live_admin_state::load() {
  auto settings = relay::load_source_settings(data_dir_);
  if (!settings) return std::move(settings).error();
  auto password = relay::load_source_password(data_dir_);
  if (!password) return std::move(password).error();
  if (*settings) {
    settings_ = **settings;
    log::info("source {}:{} user '{}' from {} (set by CHANGE MASTER TO; overrides --upstream)",
              printable(settings_.host), settings_.port, printable(settings_.user),
              (data_dir_ / "source.conf").string());
  }
  password_ = *password;
  return {};
}

relay::upstream_config live_admin_state::session_config() {
  relay::upstream_config c = base_;
  bool same_as_flags = settings_ == relay::settings_from_config(base_);
  if (!same_as_flags)
    c = relay::apply_settings(std::move(c), settings_);  // keeps --upstream failover list otherwise
  if (password_) c.password = *password_;
  c.state_dir = data_dir_;
  c.sources = sources_for(c.endpoints);
  return c;
}

std::shared_ptr<relay::source_list> live_admin_state::sources_for(
    const std::vector<relay::upstream_endpoint>& endpoints) {
  std::vector<std::string> key;
  for (const auto& e : endpoints)
    key.push_back(e.host + ":" + std::to_string(e.port) + "," + std::to_string(e.weight));
  if (sources_ && key == sources_key_) return sources_;
  sources_ = relay::make_source_list(endpoints);
  sources_key_ = std::move(key);
  auto saved = relay::load_source_list(data_dir_);
  if (!saved) {
    log::error("source list not restored: {}", saved.error().describe());
  } else if (*saved) {
    sources_->restore(**saved);
    log::info("source list restored from {}: {} source(s){}", (data_dir_ / "sources.list").string(),
              sources_->snapshot().entries.size(),
              (*saved)->group_name.empty() ? "" : ", group " + (*saved)->group_name);
  }
  return sources_;
}

relay::source_list_snapshot live_admin_state::sources() const {
  return sources_ ? sources_->snapshot() : relay::source_list_snapshot{};
}

void live_admin_state::spawn_session() {
  session_ =
      std::make_unique<relay::upstream_session>(executor_, session_config(), store_, status_);
  asio::co_spawn(executor_, session_->run(), [this](std::exception_ptr e) {
    if (e) {
      std::string what = describe_exception(e);
      log::error("upstream session failed: {}", what);
      status_.set_error(1105, "upstream session failed: " + what);
      io_wanted_ = false;
    }
    on_session_end();
  });
}

void live_admin_state::on_session_end() {
  session_.reset();
  if (io_wanted_ && !shut_down_) spawn_session();  // START arrived while the old one stopped
}

void live_admin_state::shutdown() {
  shut_down_ = true;
  io_wanted_ = false;
  if (session_) session_->stop();
}

result<void> live_admin_state::start_io() {
  bool was_running = io_wanted_;
  auto r = start_configured_io();
  if (r && !was_running) log::info("IO thread started by the admin port");
  return r;
}

result<void> live_admin_state::start_configured_io() {
  if (shut_down_) return make_error(errc::closed, "binrelayd is shutting down");
  if (settings_.host.empty()) {
    return with_errno(make_error(errc::invalid_argument,
                                 "The server is not configured as slave; fix in config file or "
                                 "with CHANGE MASTER TO"),
                      1200);
  }
  if (io_wanted_) return {};
  io_wanted_ = true;
  if (!session_) spawn_session();
  return {};
}

result<void> live_admin_state::stop_io() {
  if (!io_wanted_) return {};
  io_wanted_ = false;
  if (session_) session_->stop();
  log::info("IO thread stopped by the admin port");
  return {};
}

result<void> live_admin_state::start_sql() {
  return applier_.start ? applier_.start() : result<void>();
}
result<void> live_admin_state::stop_sql() {
  return applier_.stop ? applier_.stop() : result<void>();
}

result<void> live_admin_state::skip_transaction(const std::string& gtid) {
  if (!applier_.skip) {
    return with_errno(make_error(errc::invalid_argument,
                                 "No applier is configured (binrelayd runs without --apply-to): "
                                 "there is no transaction to skip"),
                      1200);
  }
  auto r = applier_.skip(gtid);
  if (r)
    log::info("admin port: transaction '{}' will be recorded as empty; START SLAVE resumes",
              printable(gtid, max_logged_sql));
  return r;
}

relay::upstream_snapshot live_admin_state::upstream() const {
  relay::upstream_snapshot s = status_.snapshot();
  if (!io_wanted_) {
    s.running = relay::io_running::no;
    s.state = "";
  }
  return s;
}

applier::applier_snapshot live_admin_state::applier() const {
  return applier_.status ? applier_.status->snapshot() : applier::applier_snapshot{};
}

relay::store_snapshot live_admin_state::store() const {
  relay::store_snapshot s;
  s.files = store_.files();
  s.end = store_.end_position();
  s.retrieved = store_.retrieved();
  s.upstream = store_.upstream();
  s.end_timestamp = store_.end_timestamp();
  s.verification = store_.verification();
  return s;
}

std::vector<admin::replica_info> live_admin_state::replicas() const {
  return replicas_ ? replicas_() : std::vector<admin::replica_info>{};
}

result<void> live_admin_state::change_source(const relay::source_settings& s,
                                             const std::optional<std::string>& password) {
  auto saved = relay::save_source_settings(data_dir_, s);
  if (!saved) return saved;
  if (password) {
    auto pw = relay::save_source_password(data_dir_, *password);
    if (!pw) return pw;
    password_ = password;
  }
  settings_ = s;
  log::info("CHANGE MASTER TO: source now {}:{} user '{}'", printable(s.host), s.port,
            printable(s.user));
  return {};
}

result<void> live_admin_state::reset_replica(bool all) {
  status_.update([](relay::upstream_snapshot& s) {
    s.last_io_errno = 0;
    s.last_io_error.clear();
    s.last_io_error_unix = 0;
  });
  if (!all) return {};
  auto removed = relay::remove_source_settings(data_dir_);
  if (!removed) return removed;
  settings_ = relay::settings_from_config(base_);
  password_.reset();
  log::info("RESET SLAVE ALL: source settings back to the command line's");
  return {};
}

result<void> live_admin_state::kill_connection(std::uint32_t id) {
  bool admin_session = false;
  for (const auto& s : sessions_.snapshot()) admin_session = admin_session || s.id == id;
  if (kill_ && kill_(id)) {
    log::info("admin port: KILL {}: the {} connection is closed", id,
              admin_session ? "admin session's" : "replica's");
    return {};
  }
  return admin::admin_state::kill_connection(id);
}

result<void> live_admin_state::shutdown_allowed() const {
  if (!request_shutdown_) return make_error(errc::invalid_argument, "SHUTDOWN is not available");
  return {};
}

void live_admin_state::request_shutdown() {
  if (!request_shutdown_) return;
  log::info("SHUTDOWN by the admin port; stopping");
  request_shutdown_();
}

}  // namespace binrelay::daemon
