#pragma once
// applier_config: how binrelayd's applier reaches its downstream and how it runs.

#include <chrono>
#include <cstdint>
#include <string>

#include "protocol/connection.h"

namespace binrelay::applier {

enum class apply_method { replay, prepared, text };

// Which transactions may run at the same time (docs/applier.md, "Scheduling"):
//   conservative  only those the primary marked independent (LOGICAL_CLOCK, group commit);
//   optimistic    any two, as MariaDB's slave_parallel_mode=optimistic: sessions take no lock
//                 waits, and a transaction that fails before its turn is undone and run again
//                 once every earlier one has committed.
enum class parallel_mode { conservative, optimistic };

struct applier_config {
  std::string host = "127.0.0.1";
  std::uint16_t port = 3306;
  std::string user;
  std::string password;
  protocol::tls_mode tls = protocol::tls_mode::preferred;
  unsigned workers = 4;  // downstream connections applying in parallel
  parallel_mode parallel = parallel_mode::conservative;
  std::string skip_gtid;      // recorded as an empty transaction when met (once)
  unsigned max_retries = 10;  // per transaction, for deadlocks and lock wait timeouts
  unsigned lock_wait_timeout_s = 10;
  // How long a new worker session waits for the same worker's earlier session to end.
  unsigned previous_session_wait_s = 600;
  static constexpr unsigned max_workers = 256;
  // How rows reach the downstream: BINLOG statements of the events themselves (MariaDB
  // sources; others fall back to prepared), binary prepared statements, or SQL text.
  apply_method method = apply_method::replay;
  // Replay: consecutive transactions one worker sends in one round trip (when nothing earlier
  // is in flight), and the most bytes such a batch may hold. Optimistic mode sends every
  // transaction alone.
  std::size_t max_replay_batch = 64;
  std::size_t max_replay_batch_bytes = 4 << 20;
  std::size_t max_queued = 512;  // transactions read ahead of the oldest uncommitted one
  // After a transient error (a lost downstream): the first retry's delay, doubling while the
  // error repeats, up to the maximum.
  std::chrono::milliseconds reconnect_delay{1000};
  std::chrono::milliseconds max_reconnect_delay{60000};
};

}  // namespace binrelay::applier
