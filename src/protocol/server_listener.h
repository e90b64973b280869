#pragma once
// Accepts client connections on one TCP address and runs a handler coroutine per connection
// after its handshake succeeded (server_connection.h). The number of live connections is
// bounded (server_admission.h): logged-in connections by max_connections, plus one slot kept
// for the reserved users (binrelayd's admin); connections still in their handshake by
// max_unauthenticated (past it, a new connection first waits up to unauthenticated_wait for
// one to end). A connection over a limit is answered with ERR 1040 "Too many
// connections" in place of the greeting (or, when the user it logged in as has no slot left,
// of the OK) and closed, as MySQL does.
//
// Shutdown is graceful: stop() closes the acceptor, emits terminal cancellation to every
// session and closes its socket; run() returns once all of them have finished. A handler sees
// its pending connection operation fail with errc::closed and should return.
//
// Threading: the listener runs on the executor given at construction, which must not run
// handlers concurrently (a strand, or an io_context run by one thread). Each connection and its
// handler run on one of `session_executors` (round robin; the listener's own executor when
// none are given), each of which must not run handlers concurrently either: sessions on
// different executors run in parallel, so handlers must then be thread-safe towards what they
// share. stop() and active_connections() must be called on the listener's executor. `context`
// must outlive the listener.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "protocol/server_admission.h"
#include "protocol/server_connection.h"
#include "protocol/server_context.h"

namespace binrelay::protocol {

struct listener_options {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;                // 0: any free port (see port())
  std::size_t max_connections = 256;     // logged in at once (plus one reserved slot)
  std::size_t max_unauthenticated = 64;  // in their handshake at once
  // How long a connection past max_unauthenticated waits for a handshake to end before it is
  // refused; the listener accepts nothing else meanwhile.
  std::chrono::milliseconds unauthenticated_wait{2'000};
  std::vector<std::string> reserved_users;  // may take the slot past max_connections
};

// Runs after a successful handshake; the connection is closed when it returns. An exception
// escaping it is logged once and closes only that connection.
using connection_handler = std::function<boost::asio::awaitable<void>(server_connection&)>;

class server_listener {
 public:
  // Binds and listens at once; throws std::runtime_error naming the address when it cannot.
  server_listener(boost::asio::any_io_executor executor, listener_options options,
                  server_context& context, connection_handler handler,
                  std::vector<boost::asio::any_io_executor> session_executors = {});
  ~server_listener();
  server_listener(const server_listener&) = delete;
  server_listener& operator=(const server_listener&) = delete;

  // The bound port.
  std::uint16_t port() const { return port_; }

  // Accepts until stop(), then waits for every connection to end. REQUIRES: called once.
  boost::asio::awaitable<void> run();
  void stop();

  std::size_t active_connections() const { return sessions_.size(); }
  // Closes the logged-in connection with that id (server_connection's session().connection_id),
  // as stop() closes each: its handler sees the connection fail. False when no logged-in
  // connection has it. Thread-safe.
  bool close_connection(std::uint32_t connection_id);
  // Thread-safe.
  std::size_t logged_in_connections() const { return slots_.logged_in(); }
  std::size_t unauthenticated_connections() const { return slots_.unauthenticated(); }

 private:
  struct live_session;
  void spawn_session(boost::asio::ip::tcp::socket socket);
  // The executor of the next session, round robin.
  boost::asio::any_io_executor next_session_executor();
  boost::asio::awaitable<void> session(std::shared_ptr<live_session> live,
                                       boost::asio::ip::tcp::socket socket);
  void session_ended(std::uint64_t id);
  void log_refusal();
  // True when a handshake slot freed within options_.unauthenticated_wait (and is now taken).
  boost::asio::awaitable<bool> wait_for_handshake_slot();
  static void log_failure(const server_connection& connection, std::string_view what);

  boost::asio::any_io_executor executor_;
  listener_options options_;
  server_context& context_;
  connection_handler handler_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  connection_slots slots_;
  // Refusals are logged at most once a minute, with their count, not per connection.
  std::size_t refused_ = 0;
  boost::asio::steady_timer::time_point last_refusal_log_{};
  boost::asio::steady_timer drained_;
  bool stopping_ = false;
  std::uint64_t next_session_ = 0;
  std::vector<boost::asio::any_io_executor> session_executors_;
  std::size_t next_executor_ = 0;
  // Shared with the session's own executor, where its members are used (stop() posts there).
  struct live_session {
    explicit live_session(boost::asio::any_io_executor e) : executor(std::move(e)) {}
    boost::asio::any_io_executor executor;
    boost::asio::cancellation_signal cancel;
    server_connection* connection = nullptr;  // set while the session's connection exists
  };
  std::map<std::uint64_t, std::shared_ptr<live_session>> sessions_;
  // The logged-in sessions by connection id, for close_connection() from any thread.
  std::mutex by_id_mu_;
  std::map<std::uint32_t, std::weak_ptr<live_session>> by_id_;
  static void close_on_its_executor(const std::shared_ptr<live_session>& live);
};

}  // namespace binrelay::protocol
