#include <catch2/catch.hpp>

#include <boost/asio/this_coro.hpp>

#include "integration/protocol_support.h"
#include "protocol/connection.h"

using namespace binrelay;
using namespace binrelay::protocol;
using namespace binrelay::test;
namespace asio = boost::asio;

namespace {

mariadb_server& shared_server() {
  static mariadb_server server;
  return server;
}

}  // namespace

TEST_CASE("protocol: native password login and text queries against MariaDB") {
  auto& srv = shared_server();
  run_client([&]() -> asio::awaitable<void> {
    connection c(co_await asio::this_coro::executor);
    auto connected = co_await c.connect_and_authenticate(options_for(srv));
    REQUIRE(connected);
    CHECK(c.greeting().is_mariadb());
    CHECK_FALSE(c.tls_active());
    auto rows =
        co_await c.query("SELECT 1 AS one, NULL AS nothing, 'x' UNION ALL SELECT 2, NULL, ''");
    REQUIRE(rows);
    REQUIRE(rows->columns.size() == 3);
    CHECK(rows->columns[0].name == "one");
    REQUIRE(rows->rows.size() == 2);
    CHECK(rows->rows[0] == text_row{"1", std::nullopt, "x"});
    CHECK(rows->rows[1] == text_row{"2", std::nullopt, ""});
    auto ddl = co_await c.query("CREATE DATABASE IF NOT EXISTS protocol_t");
    REQUIRE(ddl);
    CHECK_FALSE(ddl->is_result_set());
    auto bad = co_await c.query("SELECT @@no_such_variable");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().server_errno == 1193);
    auto after = co_await c.query("SELECT @@server_id");
    REQUIRE(after);
    CHECK(after->rows.at(0).at(0) == "1");
  });
}

TEST_CASE("protocol: a wrong password is refused with the server's message") {
  auto& srv = shared_server();
  run_client([&]() -> asio::awaitable<void> {
    connection c(co_await asio::this_coro::executor);
    auto o = options_for(srv);
    o.password = "definitely-wrong-pw";
    auto r = co_await c.connect_and_authenticate(o);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::auth_failed);
    CHECK(r.error().server_errno == 1045);
    CHECK_THAT(r.error().message,
               Catch::StartsWith(fmt::format("server 127.0.0.1:{} refused authentication for "
                                             "user 'binrelay': ERROR 1045 (28000): Access denied",
                                             srv.port())));
    CHECK_THAT(r.error().message, !Catch::Contains("definitely-wrong-pw"));
  });
}

TEST_CASE("protocol: zlib-compressed protocol against MariaDB") {
  auto& srv = shared_server();
  run_client([&]() -> asio::awaitable<void> {
    connection c(co_await asio::this_coro::executor);
    auto o = options_for(srv);
    o.compress = true;
    auto connected = co_await c.connect_and_authenticate(o);
    REQUIRE(connected);
    CHECK(c.compressed());
    for (int size : {10, 100000, 17000000}) {
      auto r = co_await c.query(fmt::format("SELECT REPEAT('ab', {})", size / 2));
      REQUIRE(r);
      CHECK(r->rows.at(0).at(0)->size() == std::size_t(size));
    }
  });
}

TEST_CASE("protocol: a row over 16 MiB from MariaDB is reassembled") {
  auto& srv = shared_server();
  run_client([&]() -> asio::awaitable<void> {
    connection c(co_await asio::this_coro::executor);
    auto connected = co_await c.connect_and_authenticate(options_for(srv));
    REQUIRE(connected);
    auto r = co_await c.query("SELECT REPEAT('q', 16777215 + 20), 'tail'");
    REQUIRE(r);
    CHECK(r->rows.at(0).at(0)->size() == 16777215 + 20);
    CHECK(r->rows.at(0).at(1) == "tail");
  });
}
