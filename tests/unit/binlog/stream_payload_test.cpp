// TRANSACTION_PAYLOAD: the real 8.0.28 / 8.0.32 payloads, byte-exact re-encoding, the
// uncompressed form, and every way a payload can be malformed.

#include <catch2/catch.hpp>

#include <zstd.h>

#include "binlog/file_reader.h"
#include "binlog/transaction_payload.h"
#include "stream_test_support.h"
#include "support/fixtures.h"

namespace binrelay::binlog {
namespace {

struct fixture_payload {
  std::vector<std::uint8_t> event;  // the whole outer event
  format_description fde;
};

fixture_payload first_payload(const char* name) {
  auto reader = file_reader::open(binrelay::test::fixtures_dir() / name);
  REQUIRE(reader);
  for (;;) {
    auto ev = reader->next();
    REQUIRE(ev);
    REQUIRE(*ev);
    if ((*ev)->header.type == event_type::transaction_payload) {
      return {std::vector<std::uint8_t>((*ev)->bytes.begin(), (*ev)->bytes.end()),
              reader->format()};
    }
  }
}

bytes_view body_of(const std::vector<std::uint8_t>& event, const format_description& fde) {
  return bytes_view(event).subspan(event_header_size,
                                   event.size() - event_header_size - fde.checksum_length());
}

std::vector<event_type> inner_types(bytes_view events) {
  std::vector<event_type> out;
  payload_event_iterator it(events);
  for (;;) {
    auto ev = it.next();
    REQUIRE(ev);
    if (!*ev) return out;
    out.push_back((*ev)->header.type);
  }
}

// Inner events as a server would put them in a payload: no checksums.
std::vector<std::uint8_t> inner_events() {
  std::vector<std::uint8_t> out;
  for (auto t :
       {event_type::query, event_type::table_map, event_type::write_rows_v2, event_type::xid}) {
    auto ev = test::synthetic_event(t, 40, 0, std::uint8_t(t), checksum_alg::off);
    out.insert(out.end(), ev.begin(), ev.end());
  }
  return out;
}

result<transaction_payload_event> decode(bytes_view body) {
  return decode_transaction_payload_event(event_header{}, body, format_description{});
}

}  // namespace

TEST_CASE(
    "transaction_payload: real zstd payloads decode, re-encode byte-exactly and hold checksum-less "
    "events") {
  struct named {
    const char* file;
    std::vector<event_type> inner;
  };
  const named cases[] = {
      {"osheroff__mysql-binlog-connector-java/src/test/resources/mysql-bin.compressed",
       {event_type::query, event_type::table_map, event_type::update_rows_v2, event_type::xid}},
      {"blackbeam__rust_mysql_common/test-data/binlogs/transaction_compression.000001",
       {event_type::query, event_type::table_map, event_type::write_rows_v2, event_type::xid}},
  };
  for (const auto& c : cases) {
    INFO(c.file);
    auto p = first_payload(c.file);
    const bytes_view body = body_of(p.event, p.fde);
    auto ev = decode(body);
    REQUIRE(ev);
    CHECK(ev->compression == payload_compression::zstd);
    CHECK(ev->has_uncompressed_size);

    std::vector<std::uint8_t> again;
    byte_writer out(again);
    encode_transaction_payload_body(*ev, out);
    CHECK(again == std::vector<std::uint8_t>(body.begin(), body.end()));

    auto events = decompress_transaction_payload(*ev);
    REQUIRE(events);
    CHECK(events->size() == ev->uncompressed_size);
    CHECK(inner_types(*events) == c.inner);
    CHECK(inner_format(p.fde).checksum_length() == 0);
  }
}

TEST_CASE("transaction_payload: compression none carries the events as they are") {
  const auto events = inner_events();
  transaction_payload_event ev;
  ev.compression = payload_compression::none;
  ev.payload = events;
  std::vector<std::uint8_t> body;
  byte_writer out(body);
  encode_transaction_payload_body(ev, out);
  CHECK(body[0] == 2);  // COMPRESSION_TYPE first, as MySQL writes it
  auto back = decode(body);
  REQUIRE(back);
  CHECK(back->compression == payload_compression::none);
  CHECK_FALSE(back->has_uncompressed_size);
  auto inner = decompress_transaction_payload(*back);
  REQUIRE(inner);
  CHECK(*inner == events);
  CHECK(inner_types(*inner) == std::vector<event_type>{event_type::query, event_type::table_map,
                                                       event_type::write_rows_v2, event_type::xid});
}

TEST_CASE(
    "transaction_payload: zstd payloads must decompress to exactly UNCOMPRESSED_SIZE within the "
    "limit") {
  const auto events = inner_events();
  std::vector<std::uint8_t> compressed(ZSTD_compressBound(events.size()));
  compressed.resize(
      ZSTD_compress(compressed.data(), compressed.size(), events.data(), events.size(), 3));
  transaction_payload_event ev;
  ev.compression = payload_compression::zstd;
  ev.has_uncompressed_size = true;
  ev.uncompressed_size = events.size();
  ev.payload = compressed;
  auto ok = decompress_transaction_payload(ev);
  REQUIRE(ok);
  CHECK(*ok == events);

  SECTION("declared size too small") {
    ev.uncompressed_size = events.size() - 1;
    auto r = decompress_transaction_payload(ev);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::corrupt);
  }
  SECTION("declared size too large") {
    ev.uncompressed_size = events.size() + 1;
    auto r = decompress_transaction_payload(ev);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::corrupt);
    CHECK_THAT(r.error().message, Catch::Contains("UNCOMPRESSED_SIZE"));
  }
  SECTION("over the limit") {
    auto r = decompress_transaction_payload(ev, events.size() - 1);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::too_large);
  }
  SECTION("damaged stream") {
    compressed[compressed.size() / 2] ^= 0xFF;
    compressed.resize(compressed.size() - 3);
    ev.payload = compressed;
    auto r = decompress_transaction_payload(ev);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::corrupt);
  }
}

TEST_CASE("transaction_payload: malformed field headers are refused with the reason") {
  struct named {
    const char* what;
    std::vector<std::uint8_t> body;
    errc code;
  };
  const named cases[] = {
      {"empty", {}, errc::truncated},
      {"no end mark", {2, 3, 0xFC, 0xFF, 0x00}, errc::truncated},
      {"field longer than the event", {2, 5, 0xFF}, errc::truncated},
      {"value not filling its length", {2, 2, 0x05, 0x00, 0}, errc::corrupt},
      {"unknown compression", {2, 1, 7, 0}, errc::unsupported},
      {"no compression type", {1, 1, 0, 0}, errc::corrupt},
      {"payload size past the end", {2, 3, 0xFC, 0xFF, 0x00, 1, 1, 9, 0, 1, 2}, errc::truncated},
      {"bytes after the payload", {2, 3, 0xFC, 0xFF, 0x00, 1, 1, 1, 0, 1, 2}, errc::corrupt},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    auto r = decode(c.body);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == c.code);
    CHECK_THAT(r.error().message, Catch::StartsWith("Transaction_payload: "));
  }
}

TEST_CASE("transaction_payload: unknown fields are skipped by their length") {
  const std::vector<std::uint8_t> body = {2,    3,    0xFC, 0xFF, 0x00, 9, 3,    0xFC,
                                          0x10, 0x27, 1,    1,    2,    0, 0xAA, 0xBB};
  auto r = decode(body);
  REQUIRE(r);
  CHECK(r->payload.size() == 2);
  CHECK(r->payload[0] == 0xAA);
  CHECK(r->compression == payload_compression::none);
}

TEST_CASE("transaction_payload: an inner event running past the payload is truncated") {
  auto events = inner_events();
  events.resize(events.size() - 1);
  payload_event_iterator it(events);
  for (int i = 0; i < 3; ++i) REQUIRE(it.next());
  auto last = it.next();
  REQUIRE_FALSE(last);
  CHECK(last.error().code == errc::truncated);
  CHECK_THAT(last.error().message, Catch::Contains("offset 177"));
}

}  // namespace binrelay::binlog
