#pragma once
// live_admin_state: admin::admin_state over the running daemon. It owns the IO thread's lifecycle:
// START SLAVE spawns an upstream_session (relay/upstream_session.h) on the daemon's executor
// with the current source settings, STOP SLAVE stops it; a START arriving while the previous
// session still winds down starts the new one when the old one has returned, so two sessions
// never write the store at once. CHANGE MASTER settings are persisted (source_settings.h).
//
// Threading: every method runs on `executor` (one thread), like the sessions it spawns.
// Lifetime: store, status and applier status must outlive it; shutdown() before destroying it
// and let the executor finish the session.

#include <filesystem>
#include <functional>
#include <memory>

#include <boost/asio/any_io_executor.hpp>

#include "admin/state.h"
#include "relay/relay_store.h"
#include "relay/upstream_session.h"

namespace binrelay::daemon {

// What the applier engineer plugs in; an empty hook means there is no applier yet.
struct applier_hooks {
  const applier::applier_status* status = nullptr;
  std::function<result<void>()> start;
  std::function<result<void>()> stop;
  // Records a GTID as an empty transaction on the downstream when met; `start` resumes.
  std::function<result<void>(std::string)> skip;
};

// What the replica registry (serving) plugs in; empty: no replicas listed.
using replicas_fn = std::function<std::vector<admin::replica_info>()>;

class live_admin_state final : public admin::admin_state {
 public:
  // `base` is the command line's upstream configuration (password included); the persisted
  // settings and password in `data_dir`, when present, override it.
  live_admin_state(boost::asio::any_io_executor executor, relay::relay_store& store,
                   relay::upstream_status& status, relay::upstream_config base,
                   std::filesystem::path data_dir, relay::serve_identity identity);

  // Reads the persisted settings. Errors: those of load_source_settings/password.
  result<void> load();
  void set_applier(applier_hooks hooks) { applier_ = std::move(hooks); }
  void set_replicas(replicas_fn fn) { replicas_ = std::move(fn); }
  // What SHUTDOWN on the admin port does (the daemon's graceful stop); unset: refused.
  void set_shutdown(std::function<void()> fn) { request_shutdown_ = std::move(fn); }
  // What KILL <id> does (false: no such connection); unset: no connection is known.
  void set_kill(std::function<bool(std::uint32_t)> fn) { kill_ = std::move(fn); }
  // @@port, @@max_connections, ...: what the serving port was started with.
  void set_server_variables(std::map<std::string, std::string> vars) {
    server_variables_ = std::move(vars);
  }
  std::map<std::string, std::string> server_variables() const override { return server_variables_; }
  // Stops the IO thread for good (termination signal); later start_io() calls fail.
  void shutdown();
  // Starts the IO thread at daemon start: start_io() without the admin port's log line.
  result<void> start_configured_io();

  const relay::serve_identity& identity() const override { return identity_; }
  relay::upstream_snapshot upstream() const override;
  applier::applier_snapshot applier() const override;
  relay::store_snapshot store() const override;
  std::filesystem::path relay_directory() const override { return data_dir_; }
  std::vector<admin::replica_info> replicas() const override;
  relay::source_settings source() const override { return settings_; }
  relay::source_list_snapshot sources() const override;

  result<void> start_io() override;
  result<void> stop_io() override;
  result<void> start_sql() override;
  result<void> stop_sql() override;
  result<void> skip_transaction(const std::string& gtid) override;
  result<void> change_source(const relay::source_settings& s,
                             const std::optional<std::string>& password) override;
  result<void> rotate() override { return store_.rotate(); }
  result<std::size_t> purge_to(std::string_view file) override { return store_.purge_to(file); }
  result<void> reset_replica(bool all) override;
  result<void> shutdown_allowed() const override;
  void request_shutdown() override;
  result<void> kill_connection(std::uint32_t id) override;
  admin::admin_sessions* sessions() override { return &sessions_; }
  const admin::admin_sessions* sessions() const override { return &sessions_; }

 private:
  void spawn_session();
  void on_session_end();
  relay::upstream_config session_config();
  // The source list for `endpoints`: kept while they stay the same, else made anew and
  // completed from DATA_DIR/sources.list (relay/source_list_file.h).
  std::shared_ptr<relay::source_list> sources_for(const std::vector<relay::upstream_endpoint>& e);

  boost::asio::any_io_executor executor_;
  relay::relay_store& store_;
  relay::upstream_status& status_;
  relay::upstream_config base_;
  std::filesystem::path data_dir_;
  relay::serve_identity identity_;
  relay::source_settings settings_;
  std::optional<std::string> password_;  // persisted by CHANGE MASTER; else base_.password
  applier_hooks applier_;
  replicas_fn replicas_;
  std::function<void()> request_shutdown_;
  std::function<bool(std::uint32_t)> kill_;
  admin::admin_sessions sessions_;
  std::map<std::string, std::string> server_variables_;
  std::unique_ptr<relay::upstream_session> session_;  // while a session runs
  std::shared_ptr<relay::source_list> sources_;
  std::vector<std::string> sources_key_;  // the endpoints sources_ was made for
  bool io_wanted_ = false;                // START SLAVE was the last word
  bool shut_down_ = false;
};

}  // namespace binrelay::daemon
