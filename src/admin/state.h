#pragma once
// admin_state: what the admin port (admin_handler.h) reads from and does to the running
// daemon — the relay store, the upstream session (IO thread), the applier (SQL thread), the
// replicas being served, and the persisted CHANGE MASTER settings. The consumer owns this
// interface: the daemon implements it (admin_live_state.h), unit tests fake it.
//
// Threading: every method is called on the daemon's main executor (where the upstream session
// runs and admin sessions are answered), except sessions(), whose registry is thread-safe.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "admin/admin_sessions.h"
#include "applier/applier_status.h"
#include "common/result.h"
#include "relay/relay_store_types.h"
#include "relay/replica_queries.h"
#include "relay/source_list.h"
#include "relay/source_settings.h"
#include "relay/upstream_status.h"

namespace binrelay::admin {

// One downstream replica being served (SHOW REPLICAS / SHOW SLAVE HOSTS).
struct replica_info {
  std::uint32_t server_id = 0;
  std::string host;  // as the replica reported it in COM_REGISTER_SLAVE, else its IP
  std::uint16_t port = 0;
  std::uint32_t source_id = 0;  // our server_id
  std::string uuid;             // @slave_uuid / @replica_uuid; empty when not set
  std::string file;             // relay log file being sent
  std::uint64_t position = 0;
  std::int64_t lag_seconds = -1;    // -1: unknown
  std::uint32_t connection_id = 0;  // its serving connection (SHOW PROCESSLIST, KILL)
};

class admin_state {
 public:
  virtual ~admin_state() = default;

  // --- readings ----------------------------------------------------------------------------
  virtual const relay::serve_identity& identity() const = 0;
  // running is no once STOP SLAVE IO_THREAD was accepted, even while the session winds down.
  virtual relay::upstream_snapshot upstream() const = 0;
  virtual applier::applier_snapshot applier() const = 0;
  // Files, end position, retrieved GTIDs, upstream position of the relay store.
  virtual relay::store_snapshot store() const = 0;
  virtual std::filesystem::path relay_directory() const = 0;
  virtual std::vector<replica_info> replicas() const = 0;
  virtual relay::source_settings source() const = 0;
  // The source list and group view (SHOW REPLICA SOURCES, docs/failover.md); empty by default.
  virtual relay::source_list_snapshot sources() const { return {}; }
  // The open admin sessions (SHOW PROCESSLIST, KILL); none tracked by default.
  virtual admin_sessions* sessions() { return nullptr; }
  virtual const admin_sessions* sessions() const { return nullptr; }
  // Global variables only the daemon knows (port, max_connections); none by default.
  virtual std::map<std::string, std::string> server_variables() const { return {}; }

  // --- control (errors carry a MySQL errno for the ERR packet) ------------------------------
  virtual result<void> start_io() = 0;  // no-op when running
  virtual result<void> stop_io() = 0;   // no-op when stopped
  virtual result<void> start_sql() = 0;
  virtual result<void> stop_sql() = 0;
  // Makes the applier record `gtid` ("uuid:N" or "D-S-N", canonical) as an empty transaction
  // on the downstream instead of applying it when it meets it; start_sql() then resumes.
  // REQUIRES: SQL thread stopped. Fails when there is no applier.
  virtual result<void> skip_transaction(const std::string& gtid) = 0;
  // REQUIRES: IO thread stopped. Persists `s` (and `password` when given) and uses them on
  // the next start_io().
  virtual result<void> change_source(const relay::source_settings& s,
                                     const std::optional<std::string>& password) = 0;
  // FLUSH BINARY LOGS.
  virtual result<void> rotate() = 0;
  // PURGE BINARY LOGS TO `file`: deletes the files before it; stops at a file in use.
  // Returns how many were deleted.
  virtual result<std::size_t> purge_to(std::string_view file) = 0;
  // RESET SLAVE [ALL]: forgets the receiver's error and position; ALL also the persisted
  // CHANGE MASTER settings. REQUIRES: IO thread stopped.
  virtual result<void> reset_replica(bool all) = 0;
  // KILL [CONNECTION] <id> of a connection: a replica's dump connection or an admin session
  // (KILL of the IO and SQL threads' ids is STOP SLAVE's, admin_handler). Errors carry 1094
  // (unknown thread id). The default knows no connection.
  virtual result<void> kill_connection(std::uint32_t id) {
    binrelay::error e = make_error(errc::not_found, "Unknown thread id: {}", id);
    e.server_errno = 1094;
    return e;
  }
  // SHUTDOWN / COM_SHUTDOWN, in two steps so the client gets its OK before the stop closes
  // its connection: whether binrelayd may be stopped from here (the default refuses), then,
  // once the OK was sent, the stop itself (as SIGTERM: graceful).
  virtual result<void> shutdown_allowed() const {
    return make_error(errc::invalid_argument, "SHUTDOWN is not available here");
  }
  virtual void request_shutdown() {}
};

}  // namespace binrelay::admin
