#pragma once
// Helpers for the protocol integration tests: run one client coroutine to completion, and
// connection options for a test MariaDB server.

#include <exception>
#include <functional>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include "protocol/connection.h"
#include "support/mariadb_server.h"

namespace binrelay::test {

inline void run_client(std::function<boost::asio::awaitable<void>()> body) {
  boost::asio::io_context context;
  std::exception_ptr failure;
  boost::asio::co_spawn(context, body(), [&](std::exception_ptr e) { failure = e; });
  context.run();
  if (failure) std::rethrow_exception(failure);
}

inline protocol::connection_options options_for(const mariadb_server& server) {
  protocol::connection_options o;
  o.host = "127.0.0.1";
  o.port = server.port();
  o.user = mariadb_server::user;
  o.password = mariadb_server::password;
  o.connect_timeout = std::chrono::milliseconds(5000);
  o.read_timeout = std::chrono::milliseconds(10000);
  return o;
}

}  // namespace binrelay::test
