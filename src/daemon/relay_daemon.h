#pragma once
// relay_daemon: what binrelayd runs — the relay store, the upstream session feeding it (its
// lifecycle in admin_live_state.h), the admin SQL port (--listen, admin_session.h), and
// signal handling. run() blocks until SIGTERM/SIGINT, then stops the session, flushes the
// store and returns. SIGKILL is survivable by construction: the store recovers at open.
//
// Not thread-safe: construct, run() once, destroy, on one thread.

#include <filesystem>
#include <string>

#include "common/result.h"
#include "relay/relay_store.h"
#include "relay/upstream_session.h"

namespace binrelay::daemon {

// The SQL port (--listen) with its admin user; disabled when `listen` is empty.
struct admin_config {
  std::string listen;  // HOST:PORT
  std::string user = "admin";
  std::string password;
};

struct daemon_config {
  relay::upstream_config upstream;  // endpoints may be empty: CHANGE MASTER TO sets them
  relay::store_options store;
  admin_config admin;
};

// The replica uuid binrelayd presents to its upstream (and later to its replicas): the one
// configured, else the one persisted in `data_dir`/server-uuid, else a new random one that is
// persisted there. Errors: io_error, invalid_argument (a malformed configured uuid).
result<std::string> load_or_create_server_uuid(const std::filesystem::path& data_dir,
                                               const std::string& configured);

// Opens the store, starts the IO thread when a source is configured (flags or a persisted
// CHANGE MASTER TO), serves the admin port when configured, and runs until a termination
// signal. Returns the error that stopped it (store unusable), or success after a clean
// shutdown. Throws std::runtime_error when --listen cannot be bound.
result<void> run_daemon(const daemon_config& config);

}  // namespace binrelay::daemon
