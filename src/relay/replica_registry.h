#pragma once
// replica_registry: the replicas connected to binrelayd's serving port, for SHOW REPLICAS /
// SHOW SLAVE HOSTS and for refusing to purge files a replica still reads (docs/serving.md).
//
// A replica session registers itself on COM_REGISTER_SLAVE (or, for clients that skip it such
// as mariadb-binlog, when its dump starts) and updates its progress after each write. As on
// MySQL, a server_id is unique: registering an id that is already present replaces the older
// entry and calls its `close` callback, so the older connection ends.
//
// Thread-safe: every method takes one internal mutex. `close` callbacks are called without
// the mutex held, on the registering thread; they must be safe to call from any thread (post
// to the connection's executor). An entry lives until unregister() with its ticket.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "relay/relay_store_types.h"

namespace binrelay::relay {

// What a replica told us about itself (COM_REGISTER_SLAVE, @slave_uuid) and where it is.
struct replica_info {
  std::uint32_t server_id = 0;
  std::string host;  // reported host, else the peer address
  std::uint16_t port = 0;
  std::string user;
  std::string uuid;  // MySQL replicas SET @slave_uuid / @replica_uuid; "" otherwise
  std::uint32_t connection_id = 0;
  std::chrono::system_clock::time_point connected_at{};
  // Progress, updated by the session.
  log_position position;       // next offset the replica will receive
  std::string last_sent_gtid;  // "" before the first transaction
  std::uint64_t bytes_sent = 0;
  std::uint32_t last_event_timestamp = 0;  // 0 before the first event with a timestamp
  bool dumping = false;
};

// SHOW REPLICAS' lag of `r`, in seconds: the store's newest event timestamp minus that of
// the last event sent to the replica; 0 once it was sent everything up to `end`; nullopt before
// its first event (or when the store's newest timestamp is unknown).
std::optional<std::int64_t> replica_lag_seconds(const replica_info& r, const log_position& end,
                                                std::uint32_t end_timestamp);

class replica_registry {
 public:
  using ticket = std::uint64_t;

  // Adds `info`; an entry with the same server_id is removed and its `close` called.
  ticket register_replica(replica_info info, std::function<void()> close);
  // Updates the progress fields of the entry; no-op when it was replaced meanwhile.
  // `last_event_timestamp` (header timestamp of the newest event sent) is kept when 0.
  void update_progress(ticket t, const log_position& position, const std::string& last_gtid,
                       std::uint64_t bytes_sent, std::uint32_t last_event_timestamp = 0);
  void unregister(ticket t);
  // KILL <connection_id>: calls the `close` of the entry with that connection id; false when
  // there is none.
  bool close_connection(std::uint32_t connection_id);

  // A copy of every entry, ordered by server_id.
  std::vector<replica_info> snapshot() const;
  std::size_t size() const;
  // The oldest relay log file a dumping replica reads (names compare in file order);
  // nullopt when none is dumping. PURGE keeps it and everything after it.
  std::optional<std::string> oldest_file_in_use() const;

 private:
  struct entry {
    replica_info info;
    std::function<void()> close;
  };
  mutable std::mutex mu_;
  ticket next_ = 1;
  std::map<ticket, entry> entries_;
};

}  // namespace binrelay::relay
