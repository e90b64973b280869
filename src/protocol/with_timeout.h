#pragma once
// Deadlines for Asio operations in the protocol's I/O files (packet_transport, the
// connections): `co_await (op() || timer.async_wait())`, the operation being cancelled when
// the timer wins. Include only from files that do I/O; the codecs never see it.

#include <chrono>
#include <optional>
#include <utility>
#include <variant>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace binrelay::protocol {

// Completion token: the operation's (error_code, ...) as a tuple instead of an exception.
inline constexpr auto use_tuple = boost::asio::as_tuple(boost::asio::use_awaitable);

// Runs `op` unless `timeout` passes first; nullopt on timeout (the op is cancelled).
template <class T>
boost::asio::awaitable<std::optional<T>> with_timeout(boost::asio::awaitable<T> op,
                                                      std::chrono::milliseconds timeout) {
  using namespace boost::asio::experimental::awaitable_operators;
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, timeout);
  auto r = co_await (std::move(op) || timer.async_wait(use_tuple));
  if (r.index() == 1) co_return std::nullopt;
  co_return std::get<0>(std::move(r));
}

}  // namespace binrelay::protocol
