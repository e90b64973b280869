// connection::query_batch: multi-statement batches read every answer and stop at an ERR.

#include <catch2/catch.hpp>

#include <boost/asio/use_awaitable.hpp>

#include "protocol/connection.h"
#include "protocol/constants.h"
#include "protocol/response_packets.h"
#include "unit/protocol/fake_server.h"

using namespace binrelay;
using namespace binrelay::protocol;
using namespace binrelay::test;
namespace asio = boost::asio;

TEST_CASE("connection: a batch returns each statement's OK and the ERR that stopped it") {
  std::string sent_sql;
  bool asked_caps = false;
  scripted_exchange exchange([&](peer& p) -> asio::awaitable<void> {
    auto response = co_await p.handshake(mariadb_greeting());
    asked_caps = (response.capabilities & cap::multi_statements) &&
                 (response.capabilities & cap::found_rows);
    auto ok = build_ok_packet({});
    co_await p.send(ok);
    auto q = co_await p.receive();
    sent_sql = std::string(*parse_com_query(q));
    auto first = build_ok_packet({1, 0, status::more_results_exist, 0, ""});
    co_await p.send(first);
    auto second = build_ok_packet({0, 0, status::more_results_exist, 0, ""});
    co_await p.send(second);
    auto err = build_err_packet({1062, "23000", "Duplicate entry '1' for key 'PRIMARY'"});
    co_await p.send(err);
  });
  std::optional<result<connection::batch_result>> got;
  exchange.run([&](std::uint16_t port) -> asio::awaitable<void> {
    connection c(co_await asio::this_coro::executor);
    connection_options o;
    o.port = port;
    o.user = "u";
    o.multi_statements = true;
    o.found_rows = true;
    auto connected = co_await c.connect_and_authenticate(o);
    if (!connected) {
      FAIL_CHECK(connected.error().describe());
      co_return;
    }
    got = co_await c.query_batch("UPDATE a;UPDATE b;INSERT c;COMMIT");
  });
  CHECK(asked_caps);
  CHECK(sent_sql == "UPDATE a;UPDATE b;INSERT c;COMMIT");
  REQUIRE(got);
  REQUIRE(*got);
  REQUIRE((*got)->results.size() == 2);
  CHECK((*got)->results[0].ok.affected_rows == 1);
  REQUIRE((*got)->failure);
  CHECK((*got)->failure->server_errno == 1062);
}
