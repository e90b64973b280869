#include <catch2/catch.hpp>

#include "protocol/binlog_stream.h"
#include "protocol/compression.h"
#include "protocol/replication_commands.h"
#include "unit/protocol/hex.h"

using namespace binrelay;
using namespace binrelay::protocol;
using binrelay::test::from_hex;

TEST_CASE("replication_commands: COM_REGISTER_SLAVE round trips byte-exactly") {
  register_slave c{42, "relay1", "repl", "", 3306, 0, 0};
  auto bytes = build_register_slave(c);
  CHECK(bytes == from_hex("15 2a000000 0672656c617931 047265706c 00 ea0c 00000000 00000000"));
  auto parsed = parse_register_slave(bytes);
  REQUIRE(parsed);
  CHECK(*parsed == c);
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    CHECK_FALSE(parse_register_slave(bytes_view(bytes).first(n)));
  }
}

TEST_CASE("replication_commands: COM_BINLOG_DUMP round trips byte-exactly") {
  // Plain data only: a table of aggregates holding std::string and std::vector made g++ 12
  // at -O3 report -Wmaybe-uninitialized on the cleanup path of the array's initialisation.
  struct named_case {
    const char* name;
    std::uint32_t position;
    std::uint16_t flags;
    std::uint32_t server_id;
    const char* file_name;
    const char* hex;
  };
  constexpr named_case cases[] = {
      {"MariaDB GTID mode: pos 4, empty name, annotate rows", 4,
       dump_flag::mariadb_send_annotate_rows, 7, "", "12 04000000 0200 07000000"},
      {"file and position", 1234, 0, 2, "mysql-bin.000003",
       "12 d2040000 0000 02000000 6d7973716c2d62696e2e303030303033"},
  };
  for (const auto& c : cases) {
    SECTION(c.name) {
      const binlog_dump command{c.position, c.flags, c.server_id, c.file_name};
      const auto bytes = from_hex(c.hex);
      CHECK(build_binlog_dump(command) == bytes);
      auto parsed = parse_binlog_dump(bytes);
      REQUIRE(parsed);
      CHECK(*parsed == command);
    }
  }
  CHECK(parse_binlog_dump(from_hex("12 04000000 0200 070000")).error().code == errc::truncated);
}

TEST_CASE("replication_commands: COM_BINLOG_DUMP_GTID round trips byte-exactly") {
  // One SID with one interval [1, 6): n_sids u64 | sid[16] | n_intervals u64 | start | end.
  auto set = from_hex(
      "0100000000000000 3e11fa4771ca11e19e33c80aa9429562 0100000000000000"
      "0100000000000000 0600000000000000");
  binlog_dump_gtid c{dump_flag::through_gtid, 100, "", 4, set};
  auto bytes = build_binlog_dump_gtid(c);
  std::vector<std::uint8_t> expected = from_hex("1e 0400 64000000 00000000 0400000000000000");
  byte_writer w(expected);
  w.u32(std::uint32_t(set.size()));
  w.bytes(set);
  CHECK(bytes == expected);
  auto parsed = parse_binlog_dump_gtid(bytes);
  REQUIRE(parsed);
  CHECK(*parsed == c);
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    CHECK_FALSE(parse_binlog_dump_gtid(bytes_view(bytes).first(n)));
  }
  bytes.push_back(0);
  CHECK(parse_binlog_dump_gtid(bytes).error().code == errc::corrupt);
}

TEST_CASE("replication_commands: COM_BINLOG_DUMP_GTID with a file name and empty set") {
  binlog_dump_gtid c{0, 9, "binlog.000001", 157, {}};
  auto bytes = build_binlog_dump_gtid(c);
  CHECK(bytes == from_hex("1e 0000 09000000 0d000000 62696e6c6f672e303030303031"
                          "9d00000000000000 00000000"));
  auto parsed = parse_binlog_dump_gtid(bytes);
  REQUIRE(parsed);
  CHECK(*parsed == c);
}

TEST_CASE("binlog_stream: event, semi-sync, EOF and ERR packets") {
  auto event = from_hex("00000000 04 01000000 1a000000 00000000 2000 aabbccdd");
  SECTION("plain event") {
    auto payload = build_stream_event(event);
    CHECK(payload.size() == event.size() + 1);
    auto p = parse_stream_packet(payload, false, "s");
    REQUIRE(p);
    CHECK(p->what == stream_packet::kind::event);
    CHECK(std::vector<std::uint8_t>(p->event.begin(), p->event.end()) == event);
  }
  SECTION("semi-sync header with ACK requested") {
    auto payload = build_stream_event(event, true, true);
    CHECK(payload[1] == 0xEF);
    auto p = parse_stream_packet(payload, true, "s");
    REQUIRE(p);
    CHECK(p->semi_sync_ack_requested);
    CHECK(std::vector<std::uint8_t>(p->event.begin(), p->event.end()) == event);
    auto missing = parse_stream_packet(build_stream_event(event), true, "s");
    CHECK(missing.error().code == errc::protocol_error);
  }
  SECTION("EOF ends the stream") {
    auto p = parse_stream_packet(from_hex("fe 0000 0200"), false, "s");
    REQUIRE(p);
    CHECK(p->what == stream_packet::kind::end);
  }
  SECTION("ERR 1236 keeps the server's exact message") {
    std::string msg = "Could not find GTID state requested by slave in any binlog files.";
    std::vector<std::uint8_t> payload = from_hex("ff d404 23 4859303030");
    payload.insert(payload.end(), msg.begin(), msg.end());
    auto p = parse_stream_packet(payload, false, "127.0.0.1:3306");
    REQUIRE_FALSE(p);
    CHECK(p.error().code == errc::server_error);
    CHECK(p.error().server_errno == 1236);
    CHECK_THAT(p.error().message, Catch::EndsWith(msg));
    CHECK_THAT(p.error().message, Catch::StartsWith("source 127.0.0.1:3306"));
  }
  SECTION("unknown header") {
    CHECK(parse_stream_packet(from_hex("05 00"), false, "s").error().code == errc::protocol_error);
    CHECK(parse_stream_packet({}, false, "s").error().code == errc::protocol_error);
  }
}

TEST_CASE("binlog_stream: semi-sync ACK round trips") {
  semi_sync_ack ack{1234, "mysql-bin.000002"};
  auto bytes = build_semi_sync_ack(ack);
  CHECK(bytes == from_hex("ef d204000000000000 6d7973716c2d62696e2e303030303032"));
  auto parsed = parse_semi_sync_ack(bytes);
  REQUIRE(parsed);
  CHECK(*parsed == ack);
  CHECK_FALSE(parse_semi_sync_ack(from_hex("ef d204")));
}

TEST_CASE("compression: small chunks are stored, large ones deflated, both round trip") {
  struct named_case {
    const char* name;
    std::vector<std::uint8_t> data;
    bool deflated;
  };
  const named_case cases[] = {
      {"short packet stored as is", from_hex("0100000001"), false},
      {"repetitive packet deflated", std::vector<std::uint8_t>(1000, 0x61), true},
      {"over 16 MiB split into two compressed packets",
       std::vector<std::uint8_t>(max_frame_payload + 100, 0x62), true},
  };
  for (const auto& c : cases) {
    SECTION(c.name) {
      std::vector<std::uint8_t> wire;
      std::uint8_t seq = 0;
      append_compressed(wire, c.data, seq);
      CHECK(load_le<3>(wire.data() + 4) ==
            (c.deflated ? std::min(c.data.size(), max_frame_payload) : 0));
      if (!c.deflated) CHECK(wire == from_hex("050000 00 000000 0100000001"));
      compressed_reader reader;
      reader.feed(wire);
      std::uint8_t rseq = 0;
      std::vector<std::uint8_t> out;
      while (true) {
        auto chunk = reader.next(rseq);
        REQUIRE(chunk);
        if (!chunk->has_value()) break;
        out.insert(out.end(), (*chunk)->begin(), (*chunk)->end());
      }
      CHECK(out == c.data);
      CHECK(rseq == seq);
    }
  }
}

TEST_CASE("compression: corrupt and out-of-order compressed packets are refused") {
  std::vector<std::uint8_t> wire;
  std::uint8_t seq = 4;
  append_compressed(wire, std::vector<std::uint8_t>(1000, 0x61), seq);
  SECTION("wrong sequence id") {
    compressed_reader reader;
    reader.feed(wire);
    std::uint8_t rseq = 0;
    CHECK(reader.next(rseq).error().code == errc::protocol_error);
  }
  SECTION("flipped body byte") {
    wire[10] ^= 0xFF;
    compressed_reader reader;
    reader.feed(wire);
    std::uint8_t rseq = 4;
    CHECK(reader.next(rseq).error().code == errc::corrupt);
  }
  SECTION("announced size over the limit") {
    compressed_reader reader(100);
    reader.feed(wire);
    std::uint8_t rseq = 4;
    CHECK(reader.next(rseq).error().code == errc::too_large);
  }
}
