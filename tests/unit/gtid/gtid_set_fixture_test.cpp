// Previous_gtids bodies from real binlogs (../shared/fixtures) decode and re-encode
// byte-identically. The gtid module may not use binlog/, so the events are found with a
// minimal local scan of the v4 file layout.

#include <algorithm>

#include <catch2/catch.hpp>

#include "common/bytes.h"
#include "gtid/gtid_set.h"
#include "support/fixtures.h"

using namespace binrelay;
using namespace binrelay::gtid;

namespace {

constexpr std::uint8_t type_previous_gtids = 35;

struct previous_gtids_body {
  std::string file;
  std::size_t offset;
  std::vector<std::uint8_t> body;
};

// After the 4-byte magic each event is a 19-byte header (timestamp u32, type u8,
// server_id u32, event_size u32, log_pos u32, flags u16) and a body; CRC32 files end every
// body with 4 checksum bytes.
std::vector<previous_gtids_body> scan(const binrelay::test::fixture& f) {
  std::vector<previous_gtids_body> found;
  const std::vector<std::uint8_t> data = binrelay::test::read_file(f.path);
  static constexpr std::uint8_t magic[4] = {0xFE, 0x62, 0x69, 0x6E};
  if (data.size() < 4 || !std::equal(magic, magic + 4, data.begin())) return found;
  const std::size_t crc = f.checksum == "CRC32" ? 4 : 0;
  std::size_t pos = 4;
  while (data.size() - pos >= 19) {
    const std::uint8_t type = data[pos + 4];
    const std::uint32_t size = load_u32(data.data() + pos + 9);
    if (size < 19 + crc || size > data.size() - pos) break;
    if (type == type_previous_gtids) {
      found.push_back({f.name, pos, {data.begin() + pos + 19, data.begin() + pos + size - crc}});
    }
    pos += size;
  }
  return found;
}

}  // namespace

TEST_CASE("gtid_set fixtures: real Previous_gtids bodies round-trip byte-exactly", "[gtid]") {
  std::size_t bodies = 0, non_empty = 0, tagged = 0;
  for (const auto& f : binrelay::test::all_fixtures()) {
    if (f.expect != "ok" || f.event_counts.count("PREVIOUS_GTIDS") == 0) continue;
    for (const auto& p : scan(f)) {
      INFO(p.file << " Previous_gtids at offset " << p.offset << ": " << to_hex(p.body));
      ++bodies;
      auto s = gtid_set::decode_binary(p.body);
      REQUIRE(s);
      std::vector<std::uint8_t> again;
      s->encode_binary(again);
      CHECK(again == p.body);
      CHECK(s->encoded_binary_size() == p.body.size());
      auto reparsed = gtid_set::parse(s->to_string());
      REQUIRE(reparsed);
      CHECK(*reparsed == *s);
      non_empty += !s->empty();
      tagged += (p.body.size() >= 8 && p.body[7] == 1);
    }
  }
  // MANIFEST lists Previous_gtids in about a hundred "ok" files, from 5.6 to 9.6.
  CHECK(bodies >= 100);
  CHECK(non_empty >= 5);
  CHECK(tagged >= 1);
}

TEST_CASE("gtid_set fixtures: MySQL 9.6 tagged Previous_gtids decodes to its text", "[gtid]") {
  const auto& all = binrelay::test::all_fixtures();
  auto f = std::find_if(all.begin(), all.end(), [](const auto& x) {
    return x.name.ends_with("binlog_transaction_with_GTID_TAG.000001");
  });
  REQUIRE(f != all.end());
  const auto bodies = scan(*f);
  REQUIRE(bodies.size() == 1);
  auto s = gtid_set::decode_binary(bodies[0].body);
  REQUIRE(s);
  CHECK(s->to_string() == "55778904-0299-11f1-b1b8-4ef0c4956feb:1-13:mytag:1-2");
  CHECK(s->count() == 15);
  const uuid sid = *uuid::parse("55778904-0299-11f1-b1b8-4ef0c4956feb");
  CHECK(s->contains(sid, "mytag", 2));
  CHECK_FALSE(s->contains(sid, "mytag", 3));
  CHECK(s->contains(sid, 13));
}

TEST_CASE("gtid_set fixtures: MySQL 5.6 Previous_gtids with four uuids decodes to its text",
          "[gtid]") {
  const auto& all = binrelay::test::all_fixtures();
  auto f = std::find_if(all.begin(), all.end(), [](const auto& x) {
    return x.name.ends_with("ikarishinjieva__mysql_binlog_utils/test/mysql-bin56.000002");
  });
  REQUIRE(f != all.end());
  const auto bodies = scan(*f);
  REQUIRE(bodies.size() == 1);
  auto s = gtid_set::decode_binary(bodies[0].body);
  REQUIRE(s);
  CHECK(s->to_string() ==
        "7e23401a-c603-11e3-8e13-5e10e6a05cfb:1-5,\n"
        "8186fc1e-c5ff-11e3-8df9-e66ccf50db66:1-11,\n"
        "a6ce328c-c602-11e3-8e0d-e66ccf50db66:1-6,\n"
        "b7009920-c601-11e3-8e07-5e10e6a05cfb:1-6");
}
