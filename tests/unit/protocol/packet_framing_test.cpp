#include <catch2/catch.hpp>

#include "protocol/binlog_stream.h"
#include "protocol/constants.h"
#include "protocol/packet_framing.h"
#include "unit/protocol/hex.h"

using namespace binrelay;
using namespace binrelay::protocol;
using binrelay::test::from_hex;

namespace {

std::vector<std::uint8_t> pattern(std::size_t n) {
  std::vector<std::uint8_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = std::uint8_t(i * 7 + (i >> 16));
  return v;
}

std::vector<std::uint8_t> frame(bytes_view payload, std::uint8_t seq = 0) {
  std::vector<std::uint8_t> out;
  append_frames(out, payload, seq);
  return out;
}

}  // namespace

TEST_CASE("packet_framing: small payloads frame byte-exactly") {
  struct named_case {
    const char* name;
    std::vector<std::uint8_t> payload;
    std::uint8_t seq;
    std::vector<std::uint8_t> wire;
  };
  const named_case cases[] = {
      {"empty payload", {}, 0, from_hex("00000000")},
      {"COM_QUERY select 1", from_hex("0373656c6563742031"), 0,
       from_hex("09000000 0373656c6563742031")},
      {"sequence id carried", from_hex("00"), 7, from_hex("01000007 00")},
      {"sequence id wraps at 255", from_hex("aa"), 255, from_hex("010000ff aa")},
  };
  for (const auto& c : cases) {
    SECTION(c.name) {
      std::uint8_t seq = c.seq;
      std::vector<std::uint8_t> wire;
      append_frames(wire, c.payload, seq);
      CHECK(wire == c.wire);
      CHECK(seq == std::uint8_t(c.seq + 1));
      packet_reader reader;
      reader.feed(wire);
      std::uint8_t expected = c.seq;
      auto p = reader.next(expected);
      REQUIRE(p);
      REQUIRE(p->has_value());
      CHECK(**p == c.payload);
      CHECK(expected == seq);
      CHECK(reader.buffered() == 0);
    }
  }
}

TEST_CASE("packet_framing: large payloads split at 0xFFFFFF and reassemble") {
  struct named_case {
    const char* name;
    std::size_t size;
    std::size_t frames;
  };
  const named_case cases[] = {
      {"exactly 0xFFFFFF bytes ends with an empty frame", max_frame_payload, 2},
      {"0xFFFFFF - 1 bytes is one frame", max_frame_payload - 1, 1},
      {"2 x 0xFFFFFF + 5 bytes is three frames", 2 * max_frame_payload + 5, 3},
  };
  for (const auto& c : cases) {
    SECTION(c.name) {
      auto payload = pattern(c.size);
      auto wire = frame(payload, 3);
      CHECK(wire.size() == c.size + 4 * c.frames);
      // Headers: every frame but the last is full; ids count up from 3.
      std::size_t pos = 0;
      for (std::size_t i = 0; i < c.frames; ++i) {
        std::size_t len = load_le<3>(wire.data() + pos);
        CHECK(wire[pos + 3] == 3 + i);
        CHECK((i + 1 < c.frames ? len == max_frame_payload : len < max_frame_payload));
        pos += 4 + len;
      }
      CHECK(pos == wire.size());
      packet_reader reader(std::size_t(1) << 26);
      // Feed in uneven pieces, as a socket would deliver them.
      std::uint8_t seq = 3;
      std::optional<std::vector<std::uint8_t>> got;
      for (std::size_t off = 0; off < wire.size();) {
        std::size_t n = std::min<std::size_t>(wire.size() - off, 1'000'003);
        reader.feed(bytes_view(wire).subspan(off, n));
        off += n;
        auto p = reader.next(seq);
        REQUIRE(p);
        if (p->has_value()) {
          CHECK(off == wire.size());
          got = std::move(**p);
        }
      }
      REQUIRE(got.has_value());
      CHECK(*got == payload);
      CHECK(seq == std::uint8_t(3 + c.frames));
    }
  }
}

TEST_CASE("packet_reader: waits for the rest of a truncated frame") {
  auto wire = from_hex("05000000 0102030405 01000001 06");
  packet_reader reader;
  std::uint8_t seq = 0;
  reader.feed(bytes_view(wire).first(7));
  auto p = reader.next(seq);
  REQUIRE(p);
  CHECK_FALSE(p->has_value());
  CHECK(seq == 0);
  reader.feed(bytes_view(wire).subspan(7));
  p = reader.next(seq);
  REQUIRE(p);
  REQUIRE(p->has_value());
  CHECK(**p == from_hex("0102030405"));
  p = reader.next(seq);
  REQUIRE(p);
  REQUIRE(p->has_value());
  CHECK(**p == from_hex("06"));
  CHECK(seq == 2);
}

TEST_CASE("packet_reader: a wrong sequence id is a protocol error") {
  auto wire = from_hex("01000005 00");
  packet_reader reader;
  reader.feed(wire);
  std::uint8_t seq = 1;
  auto p = reader.next(seq);
  REQUIRE_FALSE(p);
  CHECK(p.error().code == errc::protocol_error);
  CHECK_THAT(p.error().message, Catch::Contains("sequence id 5 where 1 was expected"));
}

TEST_CASE("packet_reader: adopt takes the peer's sequence id") {
  auto wire = from_hex("01000009 00");
  packet_reader reader;
  reader.feed(wire);
  std::uint8_t seq = 1;
  auto p = reader.next(seq, sequence_check::adopt);
  REQUIRE(p);
  REQUIRE(p->has_value());
  CHECK(seq == 10);
}

TEST_CASE("packet_reader: a payload over the limit is refused from its header") {
  packet_reader reader(100);
  auto wire = from_hex("65000000");  // announces 101 bytes, none of them sent
  reader.feed(wire);
  std::uint8_t seq = 0;
  auto p = reader.next(seq);
  REQUIRE_FALSE(p);
  CHECK(p.error().code == errc::too_large);
}

TEST_CASE("packet_reader: the limit applies to the reassembled size") {
  packet_reader reader(max_frame_payload + 10);
  std::vector<std::uint8_t> header = from_hex("ffffff00");
  reader.feed(header);
  std::vector<std::uint8_t> body(max_frame_payload, 0x41);
  reader.feed(body);
  reader.feed(from_hex("0b000001"));  // 11 more bytes: 0xFFFFFF + 11 > limit
  std::uint8_t seq = 0;
  auto p = reader.next(seq);
  REQUIRE_FALSE(p);
  CHECK(p.error().code == errc::too_large);
}

TEST_CASE("packet_reader: next_view returns one-frame and multi-frame payloads whole") {
  auto small = pattern(300);
  auto large = pattern(max_frame_payload + 10);
  std::vector<std::uint8_t> wire;
  std::uint8_t seq = 5;
  append_frames(wire, small, seq);
  append_frames(wire, large, seq);
  packet_reader reader(std::size_t(1) << 26);
  reader.feed(wire);
  std::uint8_t expected = 5;
  auto first = reader.next_view(expected);
  REQUIRE(first);
  REQUIRE(first->has_value());
  CHECK(std::vector<std::uint8_t>((*first)->begin(), (*first)->end()) == small);
  auto second = reader.next_view(expected);
  REQUIRE(second);
  REQUIRE(second->has_value());
  CHECK(std::vector<std::uint8_t>((*second)->begin(), (*second)->end()) == large);
  CHECK(expected == seq);
  auto none = reader.next_view(expected);
  REQUIRE(none);
  CHECK_FALSE(none->has_value());
}

TEST_CASE(
    "packet_reader: bytes received in place through prepare/commit, in any split, "
    "yield the same payloads as feed") {
  std::vector<std::vector<std::uint8_t>> payloads;
  std::vector<std::uint8_t> wire;
  std::uint8_t seq = 0;
  for (std::size_t size :
       {std::size_t(0), std::size_t(1), std::size_t(300), std::size_t(70000), std::size_t(5)}) {
    payloads.push_back(pattern(size));
    append_frames(wire, payloads.back(), seq);
  }
  for (std::size_t chunk : {std::size_t(1), std::size_t(7), std::size_t(4096), wire.size()}) {
    CAPTURE(chunk);
    packet_reader reader;
    std::uint8_t expected_seq = 0;
    std::vector<std::vector<std::uint8_t>> got;
    for (std::size_t at = 0; at < wire.size(); at += chunk) {
      std::size_t n = std::min(chunk, wire.size() - at);
      auto room = reader.prepare(n);
      REQUIRE(room.size() >= n);
      std::copy_n(wire.begin() + std::ptrdiff_t(at), n, room.begin());
      reader.commit(n);
      for (;;) {
        auto p = reader.next_view(expected_seq);
        REQUIRE(p);
        if (!*p) break;
        got.emplace_back((*p)->begin(), (*p)->end());
      }
    }
    CHECK(got == payloads);
    CHECK(reader.buffered() == 0);
  }
}

TEST_CASE("binlog_stream: append_stream_event_frames equals framing build_stream_event") {
  for (std::size_t size : {std::size_t(19), std::size_t(70000), max_frame_payload - 1,
                           max_frame_payload, max_frame_payload + 3}) {
    auto event = pattern(size);
    std::vector<std::uint8_t> expected;
    std::uint8_t seq_a = 250;
    append_frames(expected, build_stream_event(event), seq_a);
    std::vector<std::uint8_t> got;
    std::uint8_t seq_b = 250;
    append_stream_event_frames(got, event, seq_b);
    CHECK(got == expected);
    CHECK(seq_a == seq_b);
  }
}
