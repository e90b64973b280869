// Prepared statements: COM_STMT_PREPARE / EXECUTE / CLOSE codecs byte-exact, the prepare
// answer with and without EOF packets, and connection::prepare / pipeline against a scripted
// server.

#include <catch2/catch.hpp>

#include <boost/asio/use_awaitable.hpp>

#include "protocol/connection.h"
#include "protocol/constants.h"
#include "protocol/prepared_statement.h"
#include "protocol/response_packets.h"
#include "unit/protocol/fake_server.h"

using namespace binrelay;
using namespace binrelay::protocol;
using namespace binrelay::test;
namespace asio = boost::asio;

namespace {

using bytes = std::vector<std::uint8_t>;

bytes prepare_ok_payload(std::uint32_t id, std::uint16_t columns, std::uint16_t params) {
  bytes out{0x00};
  byte_writer w(out);
  w.u32(id);
  w.u16(columns);
  w.u16(params);
  w.u8(0);
  w.u16(0);
  return out;
}

bytes param_definition() {
  column_definition c;
  c.name = "?";
  c.type = field_type::var_string;
  return build_column_definition(c);
}

}  // namespace

TEST_CASE("prepared_statement: COM_STMT_EXECUTE binds NULLs, types and binary values") {
  std::vector<param_value> params{param_value::of_int(-2), param_value::of_null(),
                                  param_value::of_uint(7), param_value::of_bytes(as_bytes("ab"))};
  auto p = build_com_stmt_execute(0x01020304, params);
  bytes expected{0x17, 0x04, 0x03, 0x02, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00,
                 0x02,  // NULL bitmap: param 1
                 0x01,  // new params bound
                 0x08, 0x00, 0x06, 0x00, 0x08, 0x80, 0xFC, 0x00, 0xFE, 0xFF,
                 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,              // -2
                 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // 7
                 0x02, 'a',  'b'};
  CHECK(p == expected);
}

TEST_CASE("prepared_statement: COM_STMT_EXECUTE without parameters is the bare header") {
  bytes expected{0x17, 0x09, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00};
  CHECK(build_com_stmt_execute(9, {}) == expected);
}

TEST_CASE("prepared_statement: every parameter kind round-trips through the execute codec") {
  std::vector<param_value> params{param_value::of_int(std::numeric_limits<std::int64_t>::min()),
                                  param_value::of_uint(std::numeric_limits<std::uint64_t>::max()),
                                  param_value::of_float(1.1f),
                                  param_value::of_double(-0.1),
                                  param_value::of_decimal("-12345678901234567890.000000001"),
                                  param_value::of_text("2024-02-29 23:59:59.999999"),
                                  param_value::of_bytes(as_bytes(std::string(300, '\xff'))),
                                  param_value::of_null()};
  for (std::size_t n = 0; n <= params.size(); ++n) {
    std::vector<param_value> some(params.begin(), params.begin() + std::ptrdiff_t(n));
    auto parsed = parse_com_stmt_execute(build_com_stmt_execute(42, some), some.size());
    REQUIRE(parsed);
    CHECK(parsed->statement_id == 42);
    CHECK(parsed->params == some);
  }
}

TEST_CASE("prepared_statement: a truncated execute payload is an error, not a crash") {
  auto p = build_com_stmt_execute(1, {param_value::of_int(5), param_value::of_text("abc")});
  for (std::size_t n = 0; n < p.size(); ++n) {
    CHECK_FALSE(parse_com_stmt_execute(bytes_view(p.data(), n), 2));
  }
}

TEST_CASE("prepared_statement: COM_STMT_PREPARE and COM_STMT_CLOSE payloads") {
  bytes prep{0x16, 'S', 'E', 'L', 'E', 'C', 'T', ' ', '?'};
  CHECK(build_com_stmt_prepare("SELECT ?") == prep);
  bytes close{0x19, 0x05, 0x00, 0x00, 0x00};
  CHECK(build_com_stmt_close(5) == close);
}

TEST_CASE("prepared_statement: the prepare answer's definitions and EOFs are consumed") {
  for (bool deprecate_eof : {false, true}) {
    prepare_response_reader r(deprecate_eof);
    auto first = r.on_packet(prepare_ok_payload(3, 0, 2));
    REQUIRE(first);
    CHECK_FALSE(*first);
    auto d1 = r.on_packet(param_definition());
    REQUIRE(d1);
    CHECK_FALSE(*d1);
    auto d2 = r.on_packet(param_definition());
    REQUIRE(d2);
    if (!deprecate_eof) {
      CHECK_FALSE(*d2);
      auto eof = r.on_packet(build_eof_packet({}));
      REQUIRE(eof);
      d2 = eof;
    }
    CHECK(*d2);
    CHECK(r.answer() == prepare_ok{3, 0, 2, 0});
    CHECK_FALSE(r.on_packet(build_eof_packet({})));
  }
}

TEST_CASE("prepared_statement: a statement without parameters or columns is answered at once") {
  prepare_response_reader r(false);
  auto first = r.on_packet(prepare_ok_payload(1, 0, 0));
  REQUIRE(first);
  CHECK(*first);
}

TEST_CASE("prepared_statement: a prepare ERR is a server error, a short OK is a protocol error") {
  prepare_response_reader r(true);
  auto err = r.on_packet(build_err_packet({1146, "42S02", "Table 'x.y' doesn't exist"}));
  REQUIRE_FALSE(err);
  CHECK(err.error().code == errc::server_error);
  CHECK(err.error().server_errno == 1146);
  auto ok = prepare_ok_payload(1, 0, 1);
  for (std::size_t n = 1; n < ok.size(); ++n) {
    prepare_response_reader s(true);
    auto got = s.on_packet(bytes_view(ok.data(), n));
    REQUIRE_FALSE(got);
    CHECK(got.error().code == errc::protocol_error);
  }
}

TEST_CASE("connection: prepare, then a pipeline of commands answered in order") {
  std::vector<bytes> received;
  scripted_exchange exchange([&](peer& p) -> asio::awaitable<void> {
    auto response = co_await p.handshake(mariadb_greeting());
    bool deprecate_eof = response.capabilities & cap::deprecate_eof;
    // (Named payloads: GCC 12 mishandles temporaries inside co_await expressions.)
    auto ok = build_ok_packet({});
    co_await p.send(ok);
    auto prepare = co_await p.receive();
    received.push_back(prepare);
    auto prepared_ok = prepare_ok_payload(7, 0, 1);
    co_await p.send(prepared_ok);
    auto definition = param_definition();
    co_await p.send(definition);
    auto eof = build_eof_packet({});
    if (!deprecate_eof) co_await p.send(eof);
    for (int i = 0; i < 3; ++i) {
      auto command = co_await p.receive();
      received.push_back(command);
    }
    auto begun = build_ok_packet({0, 0, status::in_trans, 0, ""});
    auto deadlock = build_err_packet({1213, "40001", "Deadlock found"});
    auto updated = build_ok_packet({1, 0, status::in_trans, 0, ""});
    for (const bytes* answer : {&begun, &deadlock, &updated}) {
      p.sequence = 1;
      co_await p.send(*answer);
    }
    auto close = co_await p.receive();
    received.push_back(close);
  });
  std::optional<result<prepare_ok>> prepared;
  std::optional<result<std::vector<connection::batch_result>>> answers;
  exchange.run([&](std::uint16_t port) -> asio::awaitable<void> {
    connection c(co_await asio::this_coro::executor);
    connection_options o;
    o.port = port;
    o.user = "u";
    if (auto r = co_await c.connect_and_authenticate(o); !r) {
      FAIL_CHECK(r.error().describe());
      co_return;
    }
    auto p = co_await c.prepare("UPDATE t SET a=? LIMIT 1");
    prepared = std::move(p);
    if (!*prepared) co_return;
    std::vector<bytes> commands{build_com_query("BEGIN"),
                                build_com_stmt_execute(7, {param_value::of_int(1)}),
                                build_com_stmt_execute(7, {param_value::of_int(2)})};
    auto got = co_await c.pipeline(commands);
    answers = std::move(got);
    (void)co_await c.close_statement(7);
  });
  REQUIRE(prepared);
  REQUIRE(*prepared);
  CHECK((*prepared)->statement_id == 7);
  CHECK((*prepared)->params == 1);
  REQUIRE(received.size() == 5);
  CHECK(received[0] == build_com_stmt_prepare("UPDATE t SET a=? LIMIT 1"));
  CHECK(received[1] == build_com_query("BEGIN"));
  CHECK(received[2] == build_com_stmt_execute(7, {param_value::of_int(1)}));
  CHECK(received[4] == build_com_stmt_close(7));
  REQUIRE(answers);
  REQUIRE(*answers);
  REQUIRE((*answers)->size() == 3);
  CHECK((**answers)[0].results.size() == 1);
  REQUIRE((**answers)[1].failure);
  CHECK((**answers)[1].failure->server_errno == 1213);
  REQUIRE((**answers)[2].results.size() == 1);
  CHECK((**answers)[2].results[0].ok.affected_rows == 1);
}
