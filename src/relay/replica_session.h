#pragma once
// replica_session: what binrelayd's serving port (--listen) does with one authenticated
// connection (docs/serving.md). It answers the connect-sequence queries of MySQL 8.0 and
// MariaDB 10.x replicas (replica_queries.h), COM_REGISTER_SLAVE with OK, and on
// COM_BINLOG_DUMP / COM_BINLOG_DUMP_GTID streams the relay log (binlog_sender.h) until the
// replica goes away or the listener stops:
//   - MySQL: COM_BINLOG_DUMP_GTID with the replica's GTID set;
//   - MariaDB: COM_BINLOG_DUMP after SET @slave_connect_state='<position>' (GTID mode), or a
//     plain file/position COM_BINLOG_DUMP (also mariadb-binlog --read-from-remote-server);
//   - at the end of the log it waits for the store's end to move (log_end_signal.h; without
//     one it polls every `poll_interval`) on a steady_timer (no thread per replica), and sends
//     a HEARTBEAT when nothing was sent for @master_heartbeat_period (nanoseconds, as
//     replicas SET it);
//   - dump flag BINLOG_DUMP_NON_BLOCK: an EOF packet at the end of the log instead of waiting.
// Refusals (1236) are sent as ERR packets, as a primary does. A second replica registering
// the same server_id closes this session (replica_registry.h).
//
// Runs on the connection's executor; the store is only read through its thread-safe reader
// side.

#include <chrono>

#include <boost/asio/awaitable.hpp>

#include "protocol/server_connection.h"
#include "relay/log_end_signal.h"
#include "relay/relay_store.h"
#include "relay/replica_queries.h"
#include "relay/replica_registry.h"

namespace binrelay::relay {

struct serve_options {
  serve_identity identity;
  // Idle sessions wait on end_signal when given (the store's on_end_change notifies it), else
  // poll the store every poll_interval. Must outlive the session.
  log_end_signal* end_signal = nullptr;
  std::chrono::milliseconds poll_interval{25};
  // Where the session registers itself (COM_REGISTER_SLAVE, else at the dump with the dump's
  // server_id) and reports its progress; null: not registered. Must outlive the session.
  replica_registry* registry = nullptr;
  std::size_t max_batch_bytes = std::size_t(1) << 20;  // read from disk per write
};

// Runs until the client quits, a send fails, or the connection is cancelled.
boost::asio::awaitable<void> run_replica_session(protocol::server_connection& connection,
                                                 const relay_store& store,
                                                 const serve_options& options);

}  // namespace binrelay::relay
