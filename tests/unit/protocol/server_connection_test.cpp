#include <catch2/catch.hpp>

#include <array>
#include <mutex>
#include <thread>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/write.hpp>

#include "protocol/connection.h"
#include "protocol/constants.h"
#include "protocol/handshake_response.h"
#include "protocol/packet_framing.h"
#include "protocol/server_connection.h"
#include "protocol/server_errors.h"
#include "protocol/server_listener.h"
#include "protocol/server_result_set.h"
#include "unit/protocol/server_test_support.h"

using namespace binrelay;
using namespace binrelay::protocol;
using namespace binrelay::test;
namespace asio = boost::asio;

namespace {

// Answers "SELECT 1" with a one-row result set and everything else with ERR 1235.
asio::awaitable<void> select_one_handler(server_connection& c) {
  while (true) {
    auto command = co_await c.read_command();
    if (!command) co_return;
    auto sql = parse_com_query(*command);
    bool sent = false;
    if (sql && *sql == "SELECT 1") {
      result_set rs({integer_column("1")});
      rs.add_row({"1"});
      sent = bool(co_await c.send_result_set(rs.result()));
    } else {
      auto err = not_supported_yet(sql ? std::string(*sql) : "command");
      sent = bool(co_await c.send_err(err));
    }
    if (!sent) co_return;
  }
}

server_options options_with(std::vector<server_account> accounts) {
  server_options o;
  o.accounts = std::move(accounts);
  o.handshake_timeout = std::chrono::milliseconds(3000);
  return o;
}

connection_options client_options(std::uint16_t port, std::string user, std::string password) {
  connection_options o;
  o.port = port;
  o.user = std::move(user);
  o.password = std::move(password);
  o.tls.mode = tls_mode::disabled;
  o.connect_timeout = std::chrono::milliseconds(3000);
  o.read_timeout = std::chrono::milliseconds(3000);
  return o;
}

// Runs a listener and `client(port)`; stops the listener when the client is done and returns
// only after every connection ended (run() completed).
void run_with_server(server_context& context,
                     std::function<asio::awaitable<void>(std::uint16_t, server_listener&)> client,
                     listener_options listen = {}) {
  asio::io_context io;
  server_listener listener(io.get_executor(), listen, context, select_one_handler);
  std::exception_ptr client_error;
  bool listener_done = false;
  asio::co_spawn(io, listener.run(), [&](std::exception_ptr e) {
    if (e) std::rethrow_exception(e);
    listener_done = true;
  });
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        co_await client(listener.port(), listener);
        listener.stop();
      },
      [&](std::exception_ptr e) {
        client_error = e;
        listener.stop();
      });
  io.run();
  if (client_error) std::rethrow_exception(client_error);
  CHECK(listener_done);
}

}  // namespace

TEST_CASE("server_connection: native password login and SELECT 1 with the real client") {
  server_context context(options_with({{"repl", "pw", "mysql_native_password"}}));
  run_with_server(context, [](std::uint16_t port, server_listener&) -> asio::awaitable<void> {
    connection c(co_await asio::this_coro::executor);
    auto o = client_options(port, "repl", "pw");
    auto r = co_await c.connect_and_authenticate(o);
    REQUIRE(r);
    CHECK(c.greeting().server_version == "8.0.36-binrelay");
    CHECK(c.capabilities() & cap::deprecate_eof);
    auto answer = co_await c.query("SELECT 1");
    REQUIRE(answer);
    REQUIRE(answer->rows.size() == 1);
    CHECK(answer->rows[0][0] == "1");
    CHECK(answer->columns[0].name == "1");
    auto refused = co_await c.query("SHOW PROCESSLIST");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().server_errno == 1235);
    CHECK_THAT(refused.error().message, Catch::Contains("doesn't yet support 'SHOW PROCESSLIST'"));
    auto again = co_await c.query("SELECT 1");  // still usable after an ERR
    CHECK(again);
  });
}

TEST_CASE("server_connection: wrong native password is ERR 1045 naming user and address") {
  server_context context(options_with({{"repl", "pw", "mysql_native_password"}}));
  run_with_server(context, [](std::uint16_t port, server_listener&) -> asio::awaitable<void> {
    connection c(co_await asio::this_coro::executor);
    auto o = client_options(port, "repl", "wrong");
    auto r = co_await c.connect_and_authenticate(o);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::auth_failed);
    CHECK(r.error().server_errno == 1045);
    CHECK_THAT(r.error().message,
               Catch::EndsWith("ERROR 1045 (28000): Access denied for user 'repl'@'127.0.0.1' "
                               "(using password: YES)"));
  });
}

TEST_CASE("server_connection: caching_sha2 over TLS, then the cached fast path without TLS") {
  throwaway_certificate cert;
  auto options = options_with({{"repl", "pw", "caching_sha2_password"}});
  options.tls_cert_file = cert.cert_file();
  options.tls_key_file = cert.key_file();
  server_context context(options);
  run_with_server(context, [&](std::uint16_t port, server_listener&) -> asio::awaitable<void> {
    {
      connection c(co_await asio::this_coro::executor);
      auto o = client_options(port, "repl", "pw");
      o.tls.mode = tls_mode::required;
      auto r = co_await c.connect_and_authenticate(o);
      REQUIRE(r);
      CHECK(c.tls_active());
      CHECK(co_await c.query("SELECT 1"));
    }
    CHECK(context.cache().find("repl").has_value());
    {
      connection c(co_await asio::this_coro::executor);
      auto o = client_options(port, "repl", "pw");
      auto r = co_await c.connect_and_authenticate(o);
      REQUIRE(r);  // without TLS and without a key: only the fast path can succeed
      CHECK_FALSE(c.tls_active());
      CHECK(co_await c.query("SELECT 1"));
    }
    {
      connection c(co_await asio::this_coro::executor);
      auto o = client_options(port, "repl", "not-pw");
      o.tls.mode = tls_mode::required;
      auto r = co_await c.connect_and_authenticate(o);
      REQUIRE_FALSE(r);
      CHECK(r.error().server_errno == 1045);
      CHECK_THAT(r.error().message, Catch::Contains("Access denied for user 'repl'@'127.0.0.1' "
                                                    "(using password: YES)"));
    }
  });
}

TEST_CASE("server_connection: caching_sha2 without TLS exchanges the RSA public key") {
  throwaway_certificate cert;
  auto options = options_with({{"repl", "pw", "caching_sha2_password"}});
  options.rsa_private_key_file = cert.key_file();
  server_context context(options);
  run_with_server(context, [&](std::uint16_t port, server_listener&) -> asio::awaitable<void> {
    {
      connection c(co_await asio::this_coro::executor);
      auto o = client_options(port, "repl", "wrong");
      o.allow_public_key_request = true;
      auto r = co_await c.connect_and_authenticate(o);
      REQUIRE_FALSE(r);
      CHECK(r.error().server_errno == 1045);
    }
    CHECK_FALSE(context.cache().find("repl").has_value());
    connection c(co_await asio::this_coro::executor);
    auto o = client_options(port, "repl", "pw");
    o.allow_public_key_request = true;
    auto r = co_await c.connect_and_authenticate(o);
    REQUIRE(r);
    CHECK(co_await c.query("SELECT 1"));
    CHECK(context.cache().find("repl").has_value());
  });
}

TEST_CASE("server_connection: a server requiring TLS refuses a plain client with ERR 3159") {
  throwaway_certificate cert;
  auto options = options_with({{"repl", "pw", "mysql_native_password"}});
  options.tls_cert_file = cert.cert_file();
  options.tls_key_file = cert.key_file();
  options.require_tls = true;
  server_context context(options);
  run_with_server(context, [&](std::uint16_t port, server_listener&) -> asio::awaitable<void> {
    connection c(co_await asio::this_coro::executor);
    auto o = client_options(port, "repl", "pw");
    auto r = co_await c.connect_and_authenticate(o);
    REQUIRE_FALSE(r);
    CHECK(r.error().server_errno == 3159);
    CHECK_THAT(r.error().message, Catch::Contains("requires TLS"));
  });
}

TEST_CASE("server_connection: a TLS ClientHello right behind the SSLRequest starts TLS") {
  throwaway_certificate cert;
  auto options = options_with({{"repl", "pw", "mysql_native_password"}});
  options.tls_cert_file = cert.cert_file();
  options.tls_key_file = cert.key_file();
  server_context context(options);
  run_with_server(context, [&](std::uint16_t port, server_listener&) -> asio::awaitable<void> {
    using asio::ip::tcp;
    tcp::socket socket(co_await asio::this_coro::executor);
    co_await socket.async_connect({asio::ip::make_address("127.0.0.1"), port}, asio::use_awaitable);
    std::vector<std::uint8_t> greeting(4096);
    co_await socket.async_read_some(asio::buffer(greeting), asio::use_awaitable);
    // Corked, the SSLRequest and the ClientHello leave in one segment (Linux sends corked
    // data after at most 200 ms), as clients sometimes send them.
    socket.set_option(asio::detail::socket_option::boolean<IPPROTO_TCP, TCP_CORK>(true));
    std::vector<std::uint8_t> frame;
    std::uint8_t sequence = 1;
    auto request = build_ssl_request(
        {cap::protocol_41 | cap::ssl | cap::secure_connection | cap::plugin_auth, 1u << 30, 45});
    append_frames(frame, request, sequence);
    co_await asio::async_write(socket, asio::buffer(frame), asio::use_awaitable);
    asio::ssl::context tls_context(asio::ssl::context::tls_client);
    asio::ssl::stream<tcp::socket&> tls(socket, tls_context);
    auto [ec] = co_await tls.async_handshake(asio::ssl::stream_base::client,
                                             asio::as_tuple(asio::use_awaitable));
    CHECK(ec.message() == boost::system::error_code().message());
  });
}

TEST_CASE("server_listener: a connection over the limit gets ERR 1040 instead of a greeting") {
  server_context context(options_with({{"repl", "pw", "mysql_native_password"}}));
  listener_options limit;
  limit.max_connections = 1;
  run_with_server(
      context,
      [](std::uint16_t port, server_listener& l) -> asio::awaitable<void> {
        connection first(co_await asio::this_coro::executor);
        auto o = client_options(port, "repl", "pw");
        auto r1 = co_await first.connect_and_authenticate(o);
        INFO((r1 ? std::string() : r1.error().describe()));
        REQUIRE(r1);
        CHECK(l.active_connections() == 1);
        connection second(co_await asio::this_coro::executor);
        auto r = co_await second.connect_and_authenticate(o);
        REQUIRE_FALSE(r);
        CHECK(r.error().server_errno == 1040);
        CHECK_THAT(r.error().message, Catch::Contains("Too many connections"));
      },
      limit);
}

TEST_CASE("server_listener: stop() ends idle connections and run() returns") {
  server_context context(options_with({{"repl", "pw", "mysql_native_password"}}));
  run_with_server(context, [](std::uint16_t port, server_listener& l) -> asio::awaitable<void> {
    connection c(co_await asio::this_coro::executor);
    auto o = client_options(port, "repl", "pw");
    REQUIRE(co_await c.connect_and_authenticate(o));
    l.stop();
    auto r = co_await c.query("SELECT 1");
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::closed);
  });
}

TEST_CASE(
    "server_listener: sessions take the session executors in turn, run in parallel, and "
    "stop() ends them all") {
  server_context context(options_with({{"repl", "pw", "mysql_native_password"}}));
  struct worker {
    asio::io_context io;
    asio::executor_work_guard<asio::io_context::executor_type> guard{io.get_executor()};
    std::thread thread{[this] { io.run(); }};
  };
  std::array<worker, 2> workers;
  std::mutex mu;
  std::vector<std::thread::id> handler_threads;
  auto handler = [&](server_connection& c) -> asio::awaitable<void> {
    {
      std::lock_guard lock(mu);
      handler_threads.push_back(std::this_thread::get_id());
    }
    co_await select_one_handler(c);
  };
  asio::io_context io;
  server_listener listener(io.get_executor(), {}, context, handler,
                           {workers[0].io.get_executor(), workers[1].io.get_executor()});
  bool listener_done = false;
  asio::co_spawn(io, listener.run(), [&](std::exception_ptr e) {
    if (e) std::rethrow_exception(e);
    listener_done = true;
  });
  std::exception_ptr client_error;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        std::vector<std::unique_ptr<connection>> clients;
        for (int i = 0; i < 4; ++i) {
          clients.push_back(std::make_unique<connection>(co_await asio::this_coro::executor));
          // Not inside REQUIRE: its expansion would run the co_await more than once.
          auto login = co_await clients.back()->connect_and_authenticate(
              client_options(listener.port(), "repl", "pw"));
          REQUIRE(login);
          auto answer = co_await clients.back()->query("SELECT 1");
          REQUIRE(answer);
        }
        CHECK(listener.active_connections() == 4);
        listener.stop();
        for (auto& c : clients) {
          auto r = co_await c->query("SELECT 1");
          REQUIRE_FALSE(r);
          CHECK(r.error().code == errc::closed);
        }
      },
      [&](std::exception_ptr e) {
        client_error = e;
        listener.stop();
      });
  io.run();
  std::array<std::thread::id, 2> worker_ids{workers[0].thread.get_id(), workers[1].thread.get_id()};
  for (auto& w : workers) {
    w.guard.reset();
    w.thread.join();
  }
  if (client_error) std::rethrow_exception(client_error);
  CHECK(listener_done);
  REQUIRE(handler_threads.size() == 4);
  CHECK(handler_threads[0] == worker_ids[0]);
  CHECK(handler_threads[1] == worker_ids[1]);
  CHECK(handler_threads[2] == worker_ids[0]);
  CHECK(handler_threads[3] == worker_ids[1]);
}
