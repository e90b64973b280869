#pragma once
// serving: binrelayd's serving port (--listen, docs/serving.md). A listener on its own thread
// and io_context accepts the connections and spreads them over the serving threads (the
// listener's thread is the first; `threads` in all, each with its own io_context), where each
// is authenticated and handed to the handler of its role:
//   - the replication user (--repl-user) -> relay::run_replica_session over the relay store;
//   - any other configured account (the admin user) -> the admin handler given at
//     construction; without one, admin connections get the replica session's answers too.
//     These accounts may take the one connection slot kept past max_connections.
// Serving reads the store only through its thread-safe reader side, so ingest never waits for
// a replica: each replica tails the files on its own with a bounded batch in memory.
//
// Threading: construct and call start()/stop() from one thread (binrelayd's main thread).
// The registry (thread-safe) may be read from anywhere while serving runs.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "protocol/server_context.h"
#include "protocol/server_listener.h"
#include "relay/log_end_signal.h"
#include "relay/relay_store.h"
#include "relay/replica_registry.h"
#include "relay/replica_session.h"

namespace binrelay::daemon {

struct serving_config {
  protocol::listener_options listen;  // address and port (0: any free port)
  protocol::server_options server;    // accounts, TLS, RSA key, timeouts
  std::string repl_user;              // the account whose connections are replicas
  relay::serve_identity identity;
  std::size_t threads = 1;  // serving threads (>= 1)
  // Without a configured certificate, use the one generated in the data directory
  // (serving_tls.h); false: --skip-ssl.
  bool generated_tls = true;
};

// The handler for one authenticated connection: `replica` when the user is `repl_user`,
// else `admin` (or `replica` when `admin` is empty).
protocol::connection_handler make_role_dispatch(std::string repl_user,
                                                protocol::connection_handler replica,
                                                protocol::connection_handler admin);

class serving {
 public:
  // Binds the port at once; throws std::runtime_error naming the address, or a certificate or
  // key that cannot be loaded. `store`, `registry` and `end_signal` must outlive the object;
  // the owner makes the store notify `end_signal` (it wakes idle replicas).
  serving(serving_config config, relay::relay_store& store, relay::replica_registry& registry,
          relay::log_end_signal& end_signal, protocol::connection_handler admin = {});
  ~serving();  // stop()s
  serving(const serving&) = delete;
  serving& operator=(const serving&) = delete;

  // Starts the serving threads. `on_drained` runs on the listener's thread once the port is
  // closed and every connection has ended (after request_stop(), or if the listener fails):
  // the admin handler answers on the daemon's main executor, which must keep running until
  // then. REQUIRES: called once.
  void start(std::function<void()> on_drained = {});
  // Asks the serving thread to close the port and every connection; returns at once. Safe
  // from any thread; for a thread whose own work must go on for the connections to end (the
  // admin sessions are answered on the daemon's main thread).
  void request_stop();
  // Closes the logged-in connection with that id (SHOW PROCESSLIST's); false when there is
  // none. Thread-safe.
  bool close_connection(std::uint32_t connection_id) {
    return listener_->close_connection(connection_id);
  }
  // Closes the port and every connection; returns when the threads ended. Idempotent.
  void stop();

  std::uint16_t port() const { return listener_->port(); }

 private:
  serving_config config_;
  relay::relay_store& store_;
  relay::serve_options serve_options_;
  boost::asio::io_context io_;  // the listener's, and the first serving thread's
  // The other serving threads: each runs its own io_context, kept running by a work guard
  // until stop() has seen every connection end.
  struct worker {
    boost::asio::io_context io;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard{
        io.get_executor()};
    std::thread thread;
  };
  std::vector<std::unique_ptr<worker>> workers_;
  protocol::server_context context_;
  std::unique_ptr<protocol::server_listener> listener_;
  std::thread thread_;
};

}  // namespace binrelay::daemon
