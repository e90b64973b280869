#pragma once
// relay_daemon: what binrelayd runs — the relay store, the upstream session feeding it (its
// lifecycle in admin_live_state.h; none in serve-only mode until CHANGE MASTER TO sets one),
// the SQL port (serving.h: replicas, and the admin user's statements through admin_session.h),
// the applier into a downstream (applier_thread.h, when --apply-to is given), and signal
// handling. run() blocks until SIGTERM/SIGINT, then stops serving and
// the session, flushes the store and returns, within config.stop_timeout (stop_deadline.h).
// SIGHUP reopens the log file and applies config.reload's settings (reload.h); it never
// stops the daemon. SIGKILL is survivable by construction: the store recovers at open.
// Under systemd it reports READY/STOPPING and pings the watchdog (service_manager.h); every
// --progress-interval (10 s) it logs how readers that are behind catch up (progress_lines.h).
//
// Not thread-safe: construct, run() once, destroy, on one thread.

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "applier/applier_config.h"
#include "common/result.h"
#include "daemon/metrics_server.h"
#include "daemon/reload.h"
#include "daemon/serving.h"
#include "relay/relay_store.h"
#include "relay/upstream_session.h"

namespace binrelay::daemon {

struct daemon_config {
  relay::upstream_config upstream;  // no endpoints: serve-only (or CHANGE MASTER TO sets them)
  relay::store_options store;       // an empty basename: relay_log_name.h chooses
  std::optional<serving_config> serving;         // --listen
  std::optional<applier::applier_config> apply;  // --apply-to: run the applier
  std::filesystem::path pid_file;                // --pid-file; empty: none
  bool log_file = false;                         // --log-file given (main opened it)
  // The settings in force at start, and how SIGHUP reads them again (config file and command
  // line); an empty `reload` makes SIGHUP only reopen the log file.
  reloadable_settings live;
  std::function<result<reloadable_settings>()> reload;
  std::chrono::milliseconds stop_timeout{10'000};
  std::optional<metrics_endpoint> metrics;     // --metrics-listen
  std::chrono::seconds progress_interval{10};  // --progress-interval
};

// The replica uuid binrelayd presents to its upstream (and later to its replicas): the one
// configured, else the one persisted in `data_dir`/server-uuid, else a new random one that is
// persisted there. Errors: io_error, invalid_argument (a malformed configured uuid).
result<std::string> load_or_create_server_uuid(const std::filesystem::path& data_dir,
                                               const std::string& configured);

// Opens the store and runs until a termination signal. Returns the error that stopped it
// (store unusable), or success after a clean shutdown.
result<void> run_daemon(const daemon_config& config);

}  // namespace binrelay::daemon
