#pragma once
// relay_daemon: what binrelayd runs — the relay store, the upstream session feeding it (its
// lifecycle in admin_live_state.h; none in serve-only mode until CHANGE MASTER TO sets one),
// the SQL port (serving.h: replicas, and the admin user's statements through admin_session.h),
// the applier into a downstream (applier_thread.h, when --apply-to is given), and signal
// handling. run() blocks until SIGTERM/SIGINT, then stops serving and
// the session, flushes the store and returns. SIGKILL is survivable by construction: the
// store recovers at open.
//
// Not thread-safe: construct, run() once, destroy, on one thread.

#include <filesystem>
#include <optional>
#include <string>

#include "applier/applier_config.h"
#include "common/result.h"
#include "daemon/metrics_server.h"
#include "daemon/serving.h"
#include "relay/relay_store.h"
#include "relay/upstream_session.h"

namespace binrelay::daemon {

struct daemon_config {
  relay::upstream_config upstream;  // no endpoints: serve-only (or CHANGE MASTER TO sets them)
  relay::store_options store;
  std::optional<serving_config> serving;         // --listen
  std::optional<applier::applier_config> apply;  // --apply-to: run the applier
  std::optional<metrics_endpoint> metrics;       // --metrics-listen
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
