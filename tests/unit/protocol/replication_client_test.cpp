#include <catch2/catch.hpp>

#include <algorithm>
#include <ctime>
#include <map>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "protocol/auth.h"
#include "protocol/binlog_stream.h"
#include "protocol/constants.h"
#include "protocol/replication_client.h"
#include "protocol/replication_commands.h"
#include "protocol/response_packets.h"
#include "unit/protocol/fake_server.h"
#include "unit/protocol/hex.h"

using namespace binrelay;
using namespace binrelay::protocol;
using namespace binrelay::test;
namespace asio = boost::asio;

namespace {

constexpr const char* source_uuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
constexpr const char* replica_uuid = "8a94f357-aab4-11df-86ab-c80aa9429562";

// What a MySQL 8.0.26+ replica sends after authentication (reference §3, rows 1-8).
const std::vector<std::string> mysql_sequence = {
    "SELECT UNIX_TIMESTAMP()",
    "SELECT @@GLOBAL.SERVER_ID",
    "SET @master_heartbeat_period = 500000000, @source_heartbeat_period = 500000000",
    "SET @master_binlog_checksum = @@global.binlog_checksum, @source_binlog_checksum = "
    "@@global.binlog_checksum",
    "SELECT @source_binlog_checksum",
    "SELECT @@GLOBAL.GTID_MODE",
    "SELECT @@GLOBAL.SERVER_UUID",
    std::string("SET @slave_uuid = '") + replica_uuid + "', @replica_uuid = '" + replica_uuid + "'",
};

// A MySQL 8.0 source: answers each statement as MySQL 8 does and records what it got.
struct mysql_source {
  std::map<std::string, std::string> values = {
      {"SELECT UNIX_TIMESTAMP()", std::to_string(std::time(nullptr) + 30)},
      {"SELECT @@GLOBAL.SERVER_ID", "5"},
      {"SELECT @source_binlog_checksum", "CRC32"},
      {"SELECT @@GLOBAL.GTID_MODE", "ON"},
      {"SELECT @@GLOBAL.SERVER_UUID", source_uuid},
  };
  std::vector<std::string> statements;
  std::vector<std::uint8_t> register_payload;
  std::vector<std::uint8_t> dump_payload;
  std::vector<std::vector<std::uint8_t>> events;
  std::vector<std::uint8_t> stream_end = build_eof_packet({});
  // Semi-sync: the 0xEF header on every event, a reply asked after these events' indexes.
  bool semi_sync = false;
  std::vector<std::size_t> ack_after;
  std::vector<std::vector<std::uint8_t>> acks;

  asio::awaitable<void> serve(peer& p) {
    co_await p.handshake(mysql8_greeting());
    {
      auto fast = build_auth_more_data(from_hex("03"));
      co_await p.send(fast);
      auto ok = build_ok_packet({});
      co_await p.send(ok);
    }
    while (true) {
      auto packet = co_await p.receive();
      if (packet.at(0) == std::uint8_t(command::query)) {
        std::string sql(*parse_com_query(packet));
        statements.push_back(sql);
        if (sql.starts_with("SET")) {
          auto ok = build_ok_packet({});
          co_await p.send(ok);
        } else {
          auto answer = single_value(sql.substr(7), values.at(sql));
          co_await p.answer(answer, true);
        }
      } else if (packet.at(0) == std::uint8_t(command::register_slave)) {
        register_payload = packet;
        auto ok = build_ok_packet({});
        co_await p.send(ok);
      } else {
        dump_payload = packet;
        for (std::size_t i = 0; i < events.size(); ++i) {
          bool ask = std::find(ack_after.begin(), ack_after.end(), i) != ack_after.end();
          auto payload = build_stream_event(events[i], semi_sync, ask);
          co_await p.send(payload);
          if (!ask) continue;
          p.sequence = 0;  // the ACK comes with id 0; MySQL restarts its ids after asking
          acks.push_back(co_await p.receive());
          p.sequence = 0;
        }
        co_await p.send(stream_end);
        co_return;
      }
    }
  }
};

replication_options replica_options(std::uint16_t port) {
  replication_options o;
  o.connection.port = port;
  o.connection.user = "repl";
  o.connection.password = "pw";
  o.server_id = 100;
  o.heartbeat_period = std::chrono::milliseconds(500);
  o.replica_uuid = replica_uuid;
  o.report_host = "relay1";
  o.report_port = 3307;
  o.mysql_gtid_set = from_hex(
      "0100000000000000 3e11fa4771ca11e19e33c80aa9429562"
      "0100000000000000 0100000000000000 0600000000000000");
  return o;
}

}  // namespace

TEST_CASE("replication_client: MySQL 8.0.26+ connect sequence, registration and GTID dump") {
  mysql_source source;
  source.events = {from_hex("00000000 04 05000000 17000000 00000000 2000 0400000000000000"),
                   from_hex("00000000 0f 05000000 13000000 00000000 0000")};
  std::vector<std::vector<std::uint8_t>> received;
  replication_session_info info;
  scripted_exchange exchange([&](peer& p) { return source.serve(p); });
  exchange.run([&](std::uint16_t port) -> asio::awaitable<void> {
    replication_client client(co_await asio::this_coro::executor);
    auto started = co_await client.start(replica_options(port));
    REQUIRE(started);
    info = *started;
    while (true) {
      auto e = co_await client.read_event();
      REQUIRE(e);
      if (!e->has_value()) break;
      received.push_back((*e)->bytes);
    }
  });
  CHECK(source.statements == mysql_sequence);
  CHECK(source.register_payload ==
        from_hex("15 64000000 0672656c617931 047265706c 00 eb0c 00000000 00000000"));
  // COM_BINLOG_DUMP_GTID: flags 0, server_id 100, empty name, pos 4, the set as given.
  CHECK(source.dump_payload == from_hex("1e 0000 64000000 00000000 0400000000000000 30000000"
                                        "0100000000000000 3e11fa4771ca11e19e33c80aa9429562"
                                        "0100000000000000 0100000000000000 0600000000000000"));
  CHECK(received == source.events);
  CHECK(info.flavour == server_flavour::mysql);
  CHECK(info.server_version == "8.0.36");
  CHECK(info.source_server_id == 5);
  CHECK(info.source_uuid == source_uuid);
  CHECK(info.checksum == binlog_checksum::crc32);
  CHECK(info.clock_diff_s >= 29);
  CHECK(info.clock_diff_s <= 31);
}

TEST_CASE(
    "replication_client: a semi-sync replica declares itself to a MySQL source with the plugin "
    "and acknowledges the events that ask") {
  mysql_source source;
  source.values["SELECT @@global.rpl_semi_sync_source_enabled"] = "1";
  source.semi_sync = true;
  source.events = {from_hex("00000000 04 05000000 17000000 00000000 2000 0400000000000000"),
                   from_hex("00000000 0f 05000000 13000000 00000000 0000"),
                   from_hex("00000000 10 05000000 13000000 e8030000 0000")};
  source.ack_after = {2};
  std::vector<std::vector<std::uint8_t>> received;
  std::vector<bool> asked;
  bool agreed = false;
  scripted_exchange exchange([&](peer& p) { return source.serve(p); });
  exchange.run([&](std::uint16_t port) -> asio::awaitable<void> {
    replication_client client(co_await asio::this_coro::executor);
    auto o = replica_options(port);
    o.semi_sync = true;
    auto started = co_await client.start(o);
    REQUIRE(started);
    agreed = started->semi_sync;
    while (true) {
      auto e = co_await client.read_event();
      REQUIRE(e);
      if (!e->has_value()) break;
      received.push_back((*e)->bytes);
      asked.push_back((*e)->semi_sync_ack_requested);
      if ((*e)->semi_sync_ack_requested) {
        auto ack = co_await client.send_semi_sync_ack("binlog.000007", 1000);
        REQUIRE(ack);
      }
    }
  });
  auto expected = mysql_sequence;
  expected.push_back("SELECT @@global.rpl_semi_sync_source_enabled");
  expected.push_back("SET @rpl_semi_sync_replica = 1, @rpl_semi_sync_slave = 1");
  CHECK(source.statements == expected);
  CHECK(agreed);
  CHECK(received == source.events);
  CHECK(asked == std::vector<bool>{false, false, true});
  // 0xEF | position 1000 (u64 LE) | file name.
  REQUIRE(source.acks.size() == 1);
  CHECK(source.acks[0] == from_hex("ef e803000000000000 62696e6c6f672e303030303037"));
}

TEST_CASE("replication_client: read_event_views hands out every event, then 0 at the end") {
  mysql_source source;
  source.events = {from_hex("00000000 04 05000000 17000000 00000000 2000 0400000000000000"),
                   from_hex("00000000 0f 05000000 13000000 00000000 0000"),
                   from_hex("00000000 0f 05000000 13000000 00000000 0001")};
  std::vector<std::vector<std::uint8_t>> received;
  std::size_t calls = 0;
  scripted_exchange exchange([&](peer& p) { return source.serve(p); });
  exchange.run([&](std::uint16_t port) -> asio::awaitable<void> {
    replication_client client(co_await asio::this_coro::executor);
    auto started = co_await client.start(replica_options(port));
    REQUIRE(started);
    for (;;) {
      auto n = co_await client.read_event_views(
          [&](const stream_packet& p) { received.emplace_back(p.event.begin(), p.event.end()); });
      REQUIRE(n);
      ++calls;
      if (*n == 0) break;
    }
  });
  CHECK(received == source.events);
  CHECK(calls >= 2);
}

TEST_CASE("replication_client: MySQL source refusals are typed errors") {
  struct named_case {
    const char* name;
    std::string query;
    std::string value;
    std::string message;
  };
  const named_case cases[] = {
      {"same server_id", "SELECT @@GLOBAL.SERVER_ID", "100", "same as ours"},
      {"GTID_MODE OFF", "SELECT @@GLOBAL.GTID_MODE", "OFF", "GTID_MODE=OFF"},
      {"same server uuid", "SELECT @@GLOBAL.SERVER_UUID", replica_uuid, "the same as ours"},
  };
  for (const auto& c : cases) {
    SECTION(c.name) {
      mysql_source source;
      source.values[c.query] = c.value;
      scripted_exchange exchange([&](peer& p) { return source.serve(p); });
      exchange.run(
          [&](std::uint16_t port) -> asio::awaitable<void> {
            replication_client client(co_await asio::this_coro::executor);
            auto started = co_await client.start(replica_options(port));
            REQUIRE_FALSE(started);
            CHECK(started.error().code == errc::invalid_argument);
            CHECK_THAT(started.error().message, Catch::Contains(c.message));
          },
          false);
      CHECK(source.register_payload.empty());
    }
  }
}

TEST_CASE("replication_client: ERR 1236 in the stream keeps the source's exact message") {
  const std::string purged =
      "Cannot replicate because the source purged required binary logs. Replicate the missing "
      "transactions from elsewhere, or provision a new replica from backup. Consider increasing "
      "the source's binary log expiration period. The GTID set sent by the replica is "
      "'3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5', and the missing transactions are "
      "'3e11fa47-71ca-11e1-9e33-c80aa9429562:6-9'";
  mysql_source source;
  source.stream_end = build_err_packet({1236, "HY000", purged});
  scripted_exchange exchange([&](peer& p) { return source.serve(p); });
  exchange.run([&](std::uint16_t port) -> asio::awaitable<void> {
    replication_client client(co_await asio::this_coro::executor);
    auto started = co_await client.start(replica_options(port));
    REQUIRE(started);
    auto e = co_await client.read_event();
    REQUIRE_FALSE(e);
    CHECK(e.error().code == errc::server_error);
    CHECK(e.error().server_errno == 1236);
    CHECK_THAT(e.error().message, Catch::EndsWith("ERROR 1236 (HY000): " + purged));
  });
}

TEST_CASE("replication_client: a silent source times out after two heartbeat periods") {
  mysql_source source;
  scripted_exchange exchange([&](peer& p) -> asio::awaitable<void> {
    source.stream_end.clear();
    co_await p.handshake(mysql8_greeting());
    auto fast = build_auth_more_data(from_hex("03"));
    co_await p.send(fast);
    auto ok = build_ok_packet({});
    co_await p.send(ok);
    while (true) {
      auto packet = co_await p.receive();
      if (packet.at(0) == std::uint8_t(command::binlog_dump_gtid)) break;
      if (packet.at(0) == std::uint8_t(command::query) &&
          !parse_com_query(packet)->starts_with("SET")) {
        std::string sql(*parse_com_query(packet));
        auto answer = single_value("v", source.values.at(sql));
        co_await p.answer(answer, true);
      } else {
        co_await p.send(ok);
      }
    }
    asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::milliseconds(800));
    co_await t.async_wait(asio::use_awaitable);
  });
  exchange.run(
      [&](std::uint16_t port) -> asio::awaitable<void> {
        replication_client client(co_await asio::this_coro::executor);
        auto o = replica_options(port);
        o.heartbeat_period = std::chrono::milliseconds(100);
        o.heartbeat_slack = std::chrono::milliseconds(100);
        auto started = co_await client.start(o);
        REQUIRE(started);
        auto before = std::chrono::steady_clock::now();
        auto e = co_await client.read_event();
        auto waited = std::chrono::steady_clock::now() - before;
        REQUIRE_FALSE(e);
        CHECK(e.error().code == errc::timed_out);
        CHECK(waited >= std::chrono::milliseconds(290));
        CHECK(waited < std::chrono::milliseconds(790));
      },
      false);
}
