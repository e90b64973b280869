#include <catch2/catch.hpp>

#include <array>
#include <functional>

#include <fmt/format.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "protocol/packet_transport.h"

using namespace binrelay;
using namespace binrelay::protocol;
namespace asio = boost::asio;
using asio::ip::tcp;
using std::chrono::milliseconds;

// (No co_await inside a Catch macro: with GCC 12 a write inside REQUIRE() ran more than once.)
namespace {

using side_script = std::function<asio::awaitable<void>(packet_transport&)>;

// A client transport connected over loopback to a server transport; runs both scripts to
// completion and rethrows the first exception either threw.
void run_pair(side_script client, side_script server) {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  std::uint16_t port = acceptor.local_endpoint().port();
  std::exception_ptr failure;
  auto note = [&](std::exception_ptr e) {
    if (e && !failure) failure = e;
  };
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        packet_transport t(co_await acceptor.async_accept(asio::use_awaitable));
        t.set_peer_name("client 127.0.0.1 (connection 1)");
        co_await server(t);
      },
      note);
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        packet_transport t(co_await asio::this_coro::executor);
        t.set_peer_name(fmt::format("127.0.0.1:{}", port));
        auto connected = co_await t.connect("127.0.0.1", port, milliseconds(3000));
        if (!connected) throw std::runtime_error(connected.error().message);
        co_await client(t);
      },
      note);
  io.run();
  if (failure) std::rethrow_exception(failure);
}

std::vector<std::uint8_t> bytes_of(std::string_view s) {
  return std::vector<std::uint8_t>(s.begin(), s.end());
}

}  // namespace

TEST_CASE("packet_transport: payloads cross both ways, the sequence continuing across sides") {
  run_pair(
      [](packet_transport& t) -> asio::awaitable<void> {
        t.start_command();
        auto command = bytes_of("\x03SELECT 1");
        auto written1 = co_await t.write_packet(command);
        REQUIRE(written1);
        auto answer = co_await t.read_packet_view(sequence_check::strict);
        REQUIRE(answer);
        CHECK(std::string(answer->begin(), answer->end()) == "one");
        CHECK(t.sequence() == 2);
      },
      [](packet_transport& t) -> asio::awaitable<void> {
        auto command = co_await t.read_packet(sequence_check::strict);
        REQUIRE(command);
        CHECK(*command == bytes_of("\x03SELECT 1"));
        auto answer = bytes_of("one");
        auto written2 = co_await t.write_packet(answer);
        REQUIRE(written2);
      });
}

TEST_CASE("packet_transport: compressed payloads round-trip") {
  std::vector<std::uint8_t> big(100'000, 'x');
  run_pair(
      [&](packet_transport& t) -> asio::awaitable<void> {
        t.enable_compression();
        t.start_command();
        auto written3 = co_await t.write_packet(big);
        REQUIRE(written3);
        auto answer = co_await t.read_packet(sequence_check::strict);
        REQUIRE(answer);
        CHECK(*answer == bytes_of("ok"));
      },
      [&](packet_transport& t) -> asio::awaitable<void> {
        t.enable_compression();
        auto got = co_await t.read_packet(sequence_check::strict);
        REQUIRE(got);
        CHECK(*got == big);
        auto answer = bytes_of("ok");
        auto written4 = co_await t.write_packet(answer);
        REQUIRE(written4);
      });
}

TEST_CASE("packet_transport: an oversized payload closes the client side, not the server side") {
  std::vector<std::uint8_t> payload(200, 'p');
  run_pair(
      [&](packet_transport& t) -> asio::awaitable<void> {
        t.reset_reader(100);
        t.start_command();
        auto written5 = co_await t.write_packet(payload);
        REQUIRE(written5);
        auto r = co_await t.read_packet(sequence_check::strict);
        REQUIRE(!r);
        CHECK(r.error().code == errc::too_large);
        CHECK_THAT(r.error().message, Catch::StartsWith("server 127.0.0.1:"));
        CHECK(!t.is_open());
      },
      [&](packet_transport& t) -> asio::awaitable<void> {
        t.reset_reader(100);
        auto r = co_await t.read_packet(sequence_check::strict);
        REQUIRE(!r);
        CHECK(r.error().code == errc::too_large);
        CHECK_THAT(r.error().message, Catch::StartsWith("client 127.0.0.1 (connection 1): "));
        CHECK(t.is_open());  // left for the ERR 1153 answer
        t.set_sequence(1);
        auto written6 = co_await t.write_packet(payload);
        REQUIRE(written6);
      });
}

// The other side stays silent and open for longer than the timeout: had both sides waited
// with the same timeout, whichever fired first closed its socket and the other saw "closed".
asio::awaitable<void> stay_silent(packet_transport&) {
  asio::steady_timer pause(co_await asio::this_coro::executor, milliseconds(500));
  co_await pause.async_wait(asio::use_awaitable);
}

TEST_CASE("packet_transport: a silent peer times out, each side names the other") {
  run_pair(
      [](packet_transport& t) -> asio::awaitable<void> {
        t.set_read_timeout(milliseconds(50));
        auto r = co_await t.read_packet(sequence_check::strict);
        REQUIRE(!r);
        CHECK(r.error().code == errc::timed_out);
        CHECK_THAT(r.error().message, Catch::StartsWith("no data from server 127.0.0.1:"));
        CHECK(!t.is_open());
      },
      stay_silent);
  run_pair(stay_silent, [](packet_transport& t) -> asio::awaitable<void> {
    t.set_read_timeout(milliseconds(50));
    auto r = co_await t.read_packet(sequence_check::strict);
    REQUIRE(!r);
    CHECK(r.error().code == errc::timed_out);
    CHECK(r.error().message == "client 127.0.0.1 (connection 1) sent nothing for 50 ms");
  });
}

TEST_CASE("packet_transport: the first packet is read without the bytes behind it") {
  std::vector<std::uint8_t> first = bytes_of("hello");
  std::vector<std::uint8_t> wire;
  std::uint8_t sequence = 0;
  append_frames(wire, first, sequence);
  wire.insert(wire.end(), {'T', 'L', 'S'});  // e.g. a ClientHello behind an SSLRequest
  run_pair(
      [&](packet_transport& t) -> asio::awaitable<void> {
        auto written7 = co_await t.write_raw(wire);
        REQUIRE(written7);
        auto r = co_await t.read_packet(sequence_check::adopt);  // waits for the server to end
        CHECK(!r);
      },
      [&](packet_transport& t) -> asio::awaitable<void> {
        auto got = co_await t.read_packet_unbuffered();
        REQUIRE(got);
        CHECK(*got == first);
        CHECK(t.buffered_bytes() == 0);
        std::array<char, 3> rest{};
        co_await asio::async_read(t.socket(), asio::buffer(rest), asio::use_awaitable);
        CHECK(std::string(rest.data(), rest.size()) == "TLS");
        t.close();
      });
}
