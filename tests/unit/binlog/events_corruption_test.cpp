// Corruption of real events: flipped bytes fail the CRC32 check with the offset named,
// truncated events and bodies fail cleanly, and no cut of any real event makes a decoder
// read out of bounds.

#include <catch2/catch.hpp>

#include "binlog/checksum.h"
#include "binlog/event.h"
#include "events_test_support.h"

namespace binrelay::binlog {
namespace {

struct fixture_events {
  std::vector<std::uint8_t> image;
  std::vector<test::walked_event> events;
  format_description fde;
};

fixture_events load(const std::string& suffix) {
  fixture_events f;
  f.image = test::read_file(test::fixture_named(suffix).path);
  f.events = test::walk_events(f.image);
  f.fde = *decode_format_description(f.events.at(0).bytes);
  return f;
}

const test::walked_event& first_of(const fixture_events& f, event_type t) {
  for (const auto& e : f.events) {
    if (e.header.type == t) return e;
  }
  throw std::runtime_error("fixture has no event of the type");
}

TEST_CASE("events: a flipped byte anywhere in an event fails its CRC32 naming the offset",
          "[events][corruption]") {
  auto f = load("go-parse/tests/mysql-bin.000012");
  REQUIRE(f.fde.checksum == checksum_alg::crc32);
  for (auto type : {event_type::gtid, event_type::query, event_type::xid,
                    event_type::previous_gtids, event_type::format_description}) {
    const auto& ev = first_of(f, type);
    INFO(event_type_name(type));
    REQUIRE(verify_event_checksum(ev.bytes, f.fde.checksum, ev.offset));
    for (std::size_t i = 0; i < ev.bytes.size(); ++i) {
      std::vector<std::uint8_t> bad(ev.bytes.begin(), ev.bytes.end());
      bad[i] ^= 0x10;
      auto r = verify_event_checksum(bad, f.fde.checksum, ev.offset);
      REQUIRE_FALSE(r);
      CHECK(r.error().code == errc::checksum_mismatch);
      CHECK_THAT(r.error().message, Catch::Contains(fmt::format("at offset {}", ev.offset)));
    }
  }
}

TEST_CASE("events: an FDE checksums with the in-use flag cleared", "[events][corruption]") {
  auto f = load("binlog_transaction_with_GTID.000001");
  const auto& fde_ev = f.events.at(0);
  std::vector<std::uint8_t> ev(fde_ev.bytes.begin(), fde_ev.bytes.end());
  ev[17] ^= flag_binlog_in_use;  // toggling the flag never breaks an FDE's CRC
  CHECK(verify_event_checksum(fde_ev.bytes, checksum_alg::crc32));
  CHECK(verify_event_checksum(ev, checksum_alg::crc32));
  // ... but it does for any other event type.
  const auto& gtid = first_of(f, event_type::gtid);
  std::vector<std::uint8_t> g(gtid.bytes.begin(), gtid.bytes.end());
  g[17] ^= flag_binlog_in_use;
  auto r = verify_event_checksum(g, checksum_alg::crc32);
  REQUIRE_FALSE(r);
  CHECK_THAT(r.error().message, Catch::Contains("Gtid event") && Catch::Contains("stored 0x"));
}

TEST_CASE("events: checksum errors for events too short to hold one", "[events][corruption]") {
  std::vector<std::uint8_t> tiny(20, 0);
  auto r = verify_event_checksum(tiny, checksum_alg::crc32);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::truncated);
  CHECK(verify_event_checksum(tiny, checksum_alg::off));
}

struct cut_case {
  const char* name;
  const char* fixture;
  event_type type;
};

TEST_CASE("events: an event cut short is reported truncated", "[events][corruption]") {
  const cut_case cases[] = {
      {"gtid", "binlog_transaction_with_GTID.000001", event_type::gtid},
      {"query", "binlog_transaction_with_GTID.000001", event_type::query},
      {"xid", "go-parse/tests/mysql-bin.000012", event_type::xid},
      {"previous gtids", "binlog_transaction_with_GTID.000001", event_type::previous_gtids},
      {"rotate", "binlogviz/testdata/minimal.binlog", event_type::rotate},
      {"mariadb gtid", "mariadb-bin.000001", event_type::mariadb_gtid},
      {"gtid list", "mixed-binlog/mysql-bin.000002", event_type::mariadb_gtid_list},
      {"binlog checkpoint", "mariadb-bin.000001", event_type::mariadb_binlog_checkpoint},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    auto f = load(c.fixture);
    const auto& ev = first_of(f, c.type);
    // The whole event is not there.
    auto r = decode_event(ev.bytes.first(ev.bytes.size() - 1), f.fde);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::truncated);
    CHECK_THAT(r.error().message, Catch::Contains(std::string(event_type_name(c.type))));
  }
}

TEST_CASE("events: decoders fail cleanly on every shortened body of real events",
          "[events][corruption]") {
  // The event is re-framed with a smaller event_size at every length, so each decoder sees
  // every possible cut of its body; none may crash, and fixed-size ones must fail.
  for (const char* name : {"binlog_transaction_with_GTID.000001", "mariadb-bin.000001",
                           "transaction_compression.000001", "mixed-binlog/mysql-bin.000001"}) {
    auto f = load(name);
    std::size_t decoded = 0, failed = 0;
    for (const auto& ev : f.events) {
      for (std::size_t n = event_header_size + checksum_size; n < ev.bytes.size(); ++n) {
        std::vector<std::uint8_t> cut(ev.bytes.begin(), ev.bytes.begin() + n);
        store_u32(cut.data() + 9, std::uint32_t(n));
        auto r = decode_event(cut, f.fde);
        (r ? decoded : failed)++;
        if (!r) CHECK(r.error().code != errc::checksum_mismatch);
      }
    }
    INFO(name);
    CHECK(failed > 0);
    (void)decoded;
  }
}

TEST_CASE("events: v1/v3 binlogs are refused as unsupported", "[events][corruption]") {
  for (const char* name : {"master-bin.001", "binlog_old_version_4_1.000001"}) {
    auto image = test::read_file(test::fixture_named(name).path);
    auto evs = test::walk_events(image);
    REQUIRE(!evs.empty());
    auto r = decode_format_description(evs[0].bytes);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::unsupported);
    CHECK_THAT(r.error().message, Catch::Contains("v1/v3"));
  }
}

}  // namespace
}  // namespace binrelay::binlog
