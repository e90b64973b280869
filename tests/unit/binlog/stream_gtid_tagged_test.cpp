// GTID_TAGGED (MySQL 9.6 fixture) and the mysql::serialization varints it is built from.

#include <catch2/catch.hpp>

#include <limits>

#include "binlog/file_reader.h"
#include "binlog/gtid_tagged_event.h"
#include "binlog/mysql_serialization.h"
#include "support/fixtures.h"

namespace binrelay::binlog {
namespace {

struct tagged_fixture {
  event_header header;
  std::vector<std::uint8_t> body;
};

tagged_fixture read_tagged_event() {
  auto reader = file_reader::open(binrelay::test::fixtures_dir() /
                                  "blackbeam__rust_mysql_common/test-data/binlogs/"
                                  "binlog_transaction_with_GTID_TAG.000001");
  REQUIRE(reader);
  for (;;) {
    auto ev = reader->next();
    REQUIRE(ev);
    REQUIRE(*ev);
    if ((*ev)->header.type == event_type::gtid_tagged) {
      auto body = (*ev)->body(reader->format());
      return {(*ev)->header, std::vector<std::uint8_t>(body.begin(), body.end())};
    }
  }
}

std::vector<std::uint8_t> encode(const gtid_event& e) {
  std::vector<std::uint8_t> out;
  byte_writer w(out);
  encode_gtid_tagged_body(e, w);
  return out;
}

}  // namespace

TEST_CASE("serialization varint: sizes, boundaries and round trips") {
  struct named {
    std::uint64_t value;
    std::vector<std::uint8_t> bytes;
  };
  const named cases[] = {
      {0, {0x00}},
      {1, {0x02}},
      {127, {0xFE}},
      {128, {0x01, 0x02}},
      {65535, {0xFB, 0xFF, 0x07}},  // the readme's example: 3 bytes, two trailing ones
      {(std::uint64_t(1) << 56) - 1, {0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}},
      {std::uint64_t(1) << 56, {0xFF, 0, 0, 0, 0, 0, 0, 0, 0x01}},
      {~std::uint64_t(0), {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}},
  };
  for (const auto& c : cases) {
    INFO(c.value);
    std::vector<std::uint8_t> out;
    byte_writer w(out);
    serialization::write_varint(w, c.value);
    CHECK(out == c.bytes);
    CHECK(serialization::varint_size(c.value) == c.bytes.size());
    byte_reader r(c.bytes);
    CHECK(serialization::read_varint(r) == c.value);
    CHECK(r.ok());
    CHECK(r.empty());
  }
  for (std::int64_t v :
       {std::int64_t(0), std::int64_t(-1), std::int64_t(3), std::int64_t(-65536),
        std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()}) {
    std::vector<std::uint8_t> out;
    byte_writer w(out);
    serialization::write_signed_varint(w, v);
    byte_reader r(out);
    CHECK(serialization::read_signed_varint(r) == v);
  }
  const std::vector<std::uint8_t> eight_byte_marker_two_bytes = {0x7F, 0x01};
  byte_reader cut(eight_byte_marker_two_bytes);
  serialization::read_varint(cut);
  CHECK_FALSE(cut.ok());
}

TEST_CASE("gtid_tagged: the MySQL 9.6 event decodes to uuid:mytag:3 and re-encodes byte-exactly") {
  auto t = read_tagged_event();
  auto e = decode_gtid_tagged_event(t.header, t.body, format_description{});
  REQUIRE(e);
  CHECK(e->sid.to_string() == "55778904-0299-11f1-b1b8-4ef0c4956feb");
  CHECK(e->tag == "mytag");
  CHECK(e->gno == 3);
  CHECK(e->flags == 0);
  CHECK_FALSE(e->anonymous);
  CHECK(e->has_logical_clock());
  CHECK(e->last_committed == 0);
  CHECK(e->sequence_number == 1);
  CHECK(e->immediate_commit_timestamp == 0x064a2414b8f31cull);
  CHECK_FALSE(e->original_commit_timestamp);
  CHECK(e->transaction_length == 296);
  CHECK(e->immediate_server_version == 90600);
  CHECK_FALSE(e->original_server_version);
  CHECK_FALSE(e->commit_group_ticket);
  CHECK(e->trailing.empty());
  CHECK(encode(*e) == t.body);
}

TEST_CASE("gtid_tagged: optional fields and unknown later fields survive a round trip") {
  auto t = read_tagged_event();
  auto e = decode_gtid_tagged_event(t.header, t.body, format_description{});
  REQUIRE(e);
  gtid_event full = *e;
  full.original_commit_timestamp = 1;
  full.original_server_version = 80400;
  full.commit_group_ticket = 99;
  full.last_committed = 41;
  full.sequence_number = 42;
  const std::uint8_t later_field[] = {0x1A, 0x08};  // field 13 = 4 from a future server
  full.trailing = later_field;
  auto bytes = encode(full);
  auto back = decode_gtid_tagged_event(t.header, bytes, format_description{});
  REQUIRE(back);
  CHECK(back->original_commit_timestamp == 1);
  CHECK(back->original_server_version == 80400);
  CHECK(back->commit_group_ticket == 99);
  CHECK(back->sequence_number == 42);
  CHECK(std::vector<std::uint8_t>(back->trailing.begin(), back->trailing.end()) ==
        std::vector<std::uint8_t>{0x1A, 0x08});
  CHECK(encode(*back) == bytes);
}

TEST_CASE(
    "gtid_tagged: every truncation of the real event is refused without reading out of bounds") {
  auto t = read_tagged_event();
  for (std::size_t n = 0; n < t.body.size(); ++n) {
    INFO(n);
    auto r = decode_gtid_tagged_event(t.header, bytes_view(t.body).first(n), format_description{});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::truncated);
  }
}

TEST_CASE("gtid_tagged: malformed messages name the reason") {
  auto t = read_tagged_event();
  SECTION("another serialization version") {
    t.body[0] = 0x04;
    CHECK(decode_gtid_tagged_event(t.header, t.body, {}).error().code == errc::unsupported);
  }
  SECTION("an unknown non-ignorable field") {
    t.body[2] = 0x40;  // last non-ignorable field id 32
    CHECK(decode_gtid_tagged_event(t.header, t.body, {}).error().code == errc::unsupported);
  }
  SECTION("bytes after the message") {
    t.body.push_back(0);
    CHECK(decode_gtid_tagged_event(t.header, t.body, {}).error().code == errc::corrupt);
  }
  SECTION("GNO zero") {
    gtid_event e = decode_gtid_tagged_event(t.header, t.body, {}).value();
    e.gno = 0;
    auto bytes = encode(e);
    auto r = decode_gtid_tagged_event(t.header, bytes, {});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::corrupt);
    CHECK_THAT(r.error().message, Catch::Contains("GNO 0"));
  }
  SECTION("a tag longer than 32 bytes") {
    gtid_event e = decode_gtid_tagged_event(t.header, t.body, {}).value();
    e.tag = std::string(33, 'a');
    auto bytes = encode(e);
    CHECK(decode_gtid_tagged_event(t.header, bytes, {}).error().code == errc::corrupt);
  }
}

}  // namespace binrelay::binlog
