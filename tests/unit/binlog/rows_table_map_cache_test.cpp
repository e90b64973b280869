#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "binlog/row_text_cache.h"
#include "binlog/table_map_cache.h"
#include "common/crc32.h"

namespace binrelay::binlog {
namespace {

// A whole TABLE_MAP event (CRC32 trailer) for `db`.`table` with one INT column.
std::vector<std::uint8_t> table_map_bytes(std::uint64_t table_id, const std::string& table,
                                          std::uint32_t timestamp) {
  std::vector<std::uint8_t> body;
  for (int i = 0; i < 6; ++i) body.push_back(std::uint8_t(table_id >> (8 * i)));
  body.insert(body.end(), {0x01, 0x00});  // flags
  body.push_back(2);
  body.insert(body.end(), {'d', 'b', 0});
  body.push_back(std::uint8_t(table.size()));
  body.insert(body.end(), table.begin(), table.end());
  body.push_back(0);
  body.insert(body.end(), {1, 0x03, 0, 0x00});  // 1 column: LONG, no metadata, not nullable
  const std::size_t size = event_header_size + body.size() + 4;
  std::vector<std::uint8_t> ev(size);
  store_u32(ev.data(), timestamp);
  ev[4] = static_cast<std::uint8_t>(event_type::table_map);
  store_u32(ev.data() + 5, 1);
  store_u32(ev.data() + 9, std::uint32_t(size));
  store_u32(ev.data() + 13, 1000 + timestamp);
  std::copy(body.begin(), body.end(), ev.begin() + event_header_size);
  store_u32(ev.data() + size - 4, crc32(bytes_view(ev).first(size - 4)));
  return ev;
}

format_description crc_format() {
  auto f = default_format_description(false);
  f.checksum = checksum_alg::crc32;
  return f;
}

TEST_CASE("table_map_cache: a repeated map with a new header is reused, not decoded again") {
  table_map_cache cache;
  const auto fde = crc_format();
  auto first = cache.add(table_map_bytes(70, "t1", 1), fde);
  REQUIRE(first);
  CHECK((*first)->table == "t1");
  CHECK(cache.decoded_count() == 1);
  auto again = cache.add(table_map_bytes(70, "t1", 2), fde);
  REQUIRE(again);
  CHECK(*again == *first);
  CHECK(cache.decoded_count() == 1);
  CHECK(cache.find(70) == *first);
}

TEST_CASE("table_map_cache: a changed map for the same id replaces the cached one") {
  table_map_cache cache;
  const auto fde = crc_format();
  REQUIRE(cache.add(table_map_bytes(70, "t1", 1), fde));
  auto other = cache.add(table_map_bytes(71, "t1", 1), fde);
  REQUIRE(other);
  CHECK(cache.decoded_count() == 2);
  auto renamed = cache.add(table_map_bytes(70, "t2", 3), fde);
  REQUIRE(renamed);
  CHECK(cache.decoded_count() == 3);
  CHECK((*renamed)->table == "t2");
  REQUIRE(cache.find(70) != nullptr);
  CHECK(cache.find(70)->table == "t2");
  CHECK(cache.find(71)->table == "t1");
  CHECK(cache.find(72) == nullptr);
}

TEST_CASE("table_map_cache: the cached map does not point into the caller's buffer") {
  table_map_cache cache;
  const auto fde = crc_format();
  const table_map_event* map = nullptr;
  {
    auto bytes = table_map_bytes(9, "kept", 1);
    auto r = cache.add(bytes, fde);
    REQUIRE(r);
    map = *r;
    std::fill(bytes.begin(), bytes.end(), std::uint8_t(0));
  }
  CHECK(map->db == "db");
  CHECK(map->table == "kept");
  CHECK(map->columns.size() == 1);
}

TEST_CASE("table_map_cache: an event too short for header and checksum is an error") {
  table_map_cache cache;
  auto bytes = table_map_bytes(9, "t", 1);
  bytes.resize(event_header_size + 2);
  store_u32(bytes.data() + 9, std::uint32_t(bytes.size()));
  auto r = cache.add(bytes, crc_format());
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::truncated);
}

}  // namespace
}  // namespace binrelay::binlog

namespace binrelay::binlog {
namespace {

TEST_CASE("rows_text_cache: column text is built per map and rebuilt when its columns change") {
  table_map_event map;
  map.columns.resize(2);
  map.columns[0].type = column_type::long_;
  map.columns[1].type = column_type::string;
  map.columns[1].meta = 65144;
  map.columns[1].length = 120;
  map.columns[1].nullable = true;
  rows_text_cache cache;
  const auto& text = cache.columns(map);
  REQUIRE(text.size() == 2);
  CHECK(text[0].prefix == "###   @1=");
  CHECK(text[0].value_end == " /* INT meta=0 nullable=0 is_null=0 */\n");
  CHECK(text[0].null_end == " /* INT meta=0 nullable=0 is_null=1 */\n");
  CHECK(text[1].prefix == "###   @2=");
  CHECK(text[1].value_end == " /* STRING(120) meta=65144 nullable=1 is_null=0 */\n");
  // Same address, different columns (a map replaced in place): rebuilt, not served stale.
  map.columns[0].type = column_type::longlong;
  map.columns.pop_back();
  const auto& again = cache.columns(map);
  REQUIRE(again.size() == 1);
  CHECK(again[0].value_end == " /* LONGINT meta=0 nullable=0 is_null=0 */\n");
}

}  // namespace
}  // namespace binrelay::binlog
