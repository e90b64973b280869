#include "protocol/server_listener.h"

#include <stdexcept>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "common/log.h"
#include "common/log_text.h"
#include "protocol/response_packets.h"
#include "protocol/server_errors.h"

namespace binrelay::protocol {

namespace asio = boost::asio;
using asio::awaitable;
using asio::ip::tcp;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

tcp::acceptor open_acceptor(asio::any_io_executor executor, const listener_options& o) {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(o.address, ec);
  if (ec) throw std::runtime_error(fmt::format("invalid listen address '{}'", o.address));
  tcp::acceptor acceptor(executor);
  tcp::endpoint endpoint(address, o.port);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    throw std::runtime_error(
        fmt::format("cannot listen on {}:{}: {}", o.address, o.port, ec.message()));
  }
  return acceptor;
}

// Answers a connection over the limit with ERR 1040 in place of the greeting.
awaitable<void> refuse(tcp::socket socket) {
  std::vector<std::uint8_t> wire;
  std::uint8_t sequence = 0;
  append_frames(wire, build_err_packet(too_many_connections()), sequence);
  co_await asio::async_write(socket, asio::buffer(wire), use_tuple);
  boost::system::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}

}  // namespace

server_listener::server_listener(asio::any_io_executor executor, listener_options options,
                                 server_context& context, connection_handler handler,
                                 std::vector<asio::any_io_executor> session_executors)
    : executor_(executor),
      options_(std::move(options)),
      context_(context),
      handler_(std::move(handler)),
      acceptor_(open_acceptor(executor, options_)),
      port_(acceptor_.local_endpoint().port()),
      slots_(admission_limits{options_.max_connections, options_.max_unauthenticated,
                              options_.reserved_users}),
      drained_(executor),
      session_executors_(std::move(session_executors)) {}

server_listener::~server_listener() = default;

awaitable<void> server_listener::run() {
  while (!stopping_) {
    auto [ec, socket] = co_await acceptor_.async_accept(use_tuple);
    if (stopping_ || ec == asio::error::operation_aborted) break;
    if (ec) {
      log::warn("accepting a connection on {}:{} failed: {}", options_.address, port_,
                ec.message());
      continue;
    }
    if (!slots_.try_begin_handshake() && !co_await wait_for_handshake_slot()) {
      log_refusal();
      asio::co_spawn(executor_, refuse(std::move(socket)), asio::detached);
      continue;
    }
    spawn_session(std::move(socket));
  }
  while (!sessions_.empty()) {
    drained_.expires_at(asio::steady_timer::time_point::max());
    co_await drained_.async_wait(use_tuple);
  }
}

void server_listener::stop() {
  if (stopping_) return;
  stopping_ = true;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  for (auto& entry : sessions_) close_on_its_executor(entry.second);
}

void server_listener::close_on_its_executor(const std::shared_ptr<live_session>& live) {
  asio::post(live->executor, [live] {
    live->cancel.emit(asio::cancellation_type::terminal);
    if (live->connection) live->connection->close();
  });
}

bool server_listener::close_connection(std::uint32_t connection_id) {
  std::shared_ptr<live_session> live;
  {
    std::lock_guard lock(by_id_mu_);
    auto found = by_id_.find(connection_id);
    if (found != by_id_.end()) live = found->second.lock();
  }
  if (!live) return false;
  close_on_its_executor(live);
  return true;
}

asio::any_io_executor server_listener::next_session_executor() {
  if (session_executors_.empty()) return executor_;
  return session_executors_[next_executor_++ % session_executors_.size()];
}

void server_listener::spawn_session(tcp::socket socket) {
  std::uint64_t id = next_session_++;
  auto live = std::make_shared<live_session>(next_session_executor());
  sessions_[id] = live;
  // The socket moves to the session's executor.
  auto protocol = socket.local_endpoint().protocol();
  tcp::socket moved(live->executor, protocol, socket.release());
  asio::co_spawn(live->executor, session(live, std::move(moved)),
                 asio::bind_cancellation_slot(live->cancel.slot(), [this, id](std::exception_ptr) {
                   // Not inline: the signal being erased is the one this handler is bound to;
                   // and the map lives on the listener's executor.
                   asio::post(executor_, [this, id] { session_ended(id); });
                 }));
}

void server_listener::session_ended(std::uint64_t id) {
  sessions_.erase(id);
  if (stopping_ && sessions_.empty()) drained_.cancel();
}

awaitable<void> server_listener::session(std::shared_ptr<live_session> live, tcp::socket socket) {
  // Cancellation surfaces as errc::closed from the connection, not as an exception.
  co_await asio::this_coro::throw_if_cancelled(false);
  server_connection connection(std::move(socket), context_);
  live->connection = &connection;
  struct unregister {
    live_session& live;
    ~unregister() { live.connection = nullptr; }
  } guard{*live};
  auto handshake = co_await connection.handshake(&slots_);
  slots_.end_handshake();
  if (!handshake) {
    // A blocked address was logged once, when its block began; not per attempt.
    if (handshake.error().server_errno == er::host_blocked) {
      log::debug("{}", handshake.error().message);
    } else {
      log::info("{}", handshake.error().message);
    }
    co_return;
  }
  const std::uint32_t connection_id = connection.session().connection_id;
  {
    std::lock_guard lock(by_id_mu_);
    by_id_[connection_id] = live;
  }
  struct forget {
    server_listener& listener;
    std::uint32_t id;
    ~forget() {
      std::lock_guard lock(listener.by_id_mu_);
      listener.by_id_.erase(id);
    }
  } forgotten{*this, connection_id};
  try {
    co_await handler_(connection);
  } catch (const boost::system::system_error& e) {
    if (e.code() != asio::error::operation_aborted) log_failure(connection, e.what());
  } catch (const std::exception& e) {
    log_failure(connection, e.what());
  }
  connection.close();
}

// A burst of legitimate clients (every replica reconnecting at once) may pass the cap for a
// moment: their handshakes take milliseconds, so the next one waits for a slot. Meanwhile the
// accept loop pauses and further clients wait in the kernel's listen queue.
awaitable<bool> server_listener::wait_for_handshake_slot() {
  if (slots_.unauthenticated() < options_.max_unauthenticated) co_return false;  // all logged in
  asio::steady_timer poll(executor_);
  auto deadline = asio::steady_timer::clock_type::now() + options_.unauthenticated_wait;
  while (!stopping_ && asio::steady_timer::clock_type::now() < deadline) {
    poll.expires_after(std::chrono::milliseconds(5));
    co_await poll.async_wait(use_tuple);
    if (slots_.try_begin_handshake()) co_return true;
  }
  co_return false;
}

void server_listener::log_refusal() {
  ++refused_;
  auto now = asio::steady_timer::clock_type::now();
  bool logged_before = last_refusal_log_ != asio::steady_timer::time_point{};
  if (logged_before && now - last_refusal_log_ < std::chrono::seconds(60)) return;
  log::warn(
      "refusing connections on {}:{} ({} refused since the last such line): {} logged in "
      "(--max-connections {}), {} in their handshake (--max-unauthenticated {})",
      options_.address, port_, refused_, slots_.logged_in(), options_.max_connections,
      slots_.unauthenticated(), options_.max_unauthenticated);
  last_refusal_log_ = now;
  refused_ = 0;
}

void server_listener::log_failure(const server_connection& connection, std::string_view what) {
  log::error("connection {} of user '{}' from {} failed: {}", connection.session().connection_id,
             printable(connection.session().user), connection.session().peer_host,
             printable(what, 1024));
}

}  // namespace binrelay::protocol
