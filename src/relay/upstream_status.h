#pragma once
// upstream_status: what the receiver side of binrelayd knows about its primary, for logs and
// for SHOW SLAVE STATUS (Slave_IO_State, Slave_IO_Running, Master_Host, Last_IO_Error, ...).
//
// Thread-safe: the upstream session updates it on its strand; any thread may take a snapshot.

#include <chrono>
#include <cstdint>
#include <string>

#include "common/status_holder.h"

namespace binrelay::relay {

enum class io_running { no, connecting, yes };

struct upstream_snapshot {
  io_running running = io_running::no;
  std::string state;  // receiver stage text, e.g. "Waiting for source to send event"
  std::string host;
  std::uint16_t port = 0;
  std::string user;
  std::uint32_t source_server_id = 0;
  std::string source_uuid;
  std::string source_version;
  std::string source_log_file;  // upstream binlog file being read
  std::uint64_t read_source_log_pos = 0;
  std::uint32_t last_io_errno = 0;  // 13114 for a 1236 from the source, as MySQL reports
  std::string last_io_error;
  std::int64_t last_io_error_unix = 0;
  // Source timestamp of the last transaction event received on this connection (0: none yet;
  // the events describing the stream or a binlog file do not count).
  std::int64_t last_event_unix = 0;
  bool caught_up = false;  // the last thing received was a heartbeat: the source had no more
  std::int64_t clock_diff_seconds = 0;  // our clock - source's clock at connect
  std::uint64_t bytes_received = 0;
  std::uint64_t transactions_received = 0;
  std::uint64_t connects = 0;
  std::uint32_t retries = 0;         // failed attempts since the last one that made progress
  std::uint64_t retry_delay_ms = 0;  // the wait before the next attempt (0: not retrying)
  // GTIDs binrelayd holds that the source it switched to lacks, accepted by
  // --failover-accept-missing-gtids (docs/failover.md); "" when none.
  std::string errant_gtids;
  bool semi_sync = false;            // connected as a semi-sync replica (the source agreed)
  std::uint64_t semi_sync_acks = 0;  // ACKs sent, over all connections
};

class upstream_status : public status_holder<upstream_snapshot> {
 public:
  void set_error(std::uint32_t errno_value, std::string text) {
    auto now = std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    update([&](upstream_snapshot& s) {
      s.last_io_errno = errno_value;
      s.last_io_error = std::move(text);
      s.last_io_error_unix = now;
    });
  }
};

}  // namespace binrelay::relay
