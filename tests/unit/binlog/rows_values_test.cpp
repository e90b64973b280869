// Named byte-level cases for the value encodings (DECIMAL, temporals, binary JSON), table
// map parsing of real optional metadata, and clean errors on truncated row data.

#include <catch2/catch.hpp>

#include "binlog/decimal.h"
#include "binlog/json_binary.h"
#include "binlog/row_format.h"
#include "binlog/temporal.h"
#include "rows_test_support.h"
#include "support/fixtures.h"

namespace binrelay::binlog::test {
namespace {

std::vector<std::uint8_t> unhex(std::string_view h) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i + 1 < h.size(); i += 2) {
    if (h[i] == ' ') {
      --i;
      continue;
    }
    out.push_back(std::uint8_t(std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

std::string format_one(column_type type, std::uint16_t meta, std::string_view hex,
                       std::uint32_t length = 0) {
  column_info c;
  c.type = c.wire_type = type;
  c.meta = meta;
  c.length = length;
  auto bytes = unhex(hex);
  column_value v;
  std::size_t used = decode_value(c, bytes.data(), bytes.size(), v);
  if (used != bytes.size()) return "<decode used " + std::to_string(used) + ">";
  std::string out;
  format_value(c, v, out);
  return out;
}

}  // namespace

TEST_CASE("rows: DECIMAL binary values print exactly") {
  struct {
    const char* name;
    unsigned p, s;
    const char* hex;
    const char* text;
  } cases[] = {
      {"mysql doc example", 14, 4, "810DFB38D204D2", "1234567890.1234"},
      {"mysql doc example negated", 14, 4, "7EF204C72DFB2D", "-1234567890.1234"},
      {"zero keeps scale", 4, 2, "8000", "0.00"},
      {"small negative", 4, 2, "7FFE", "-0.01"},
      {"integer only", 10, 0, "8000000001", "1"},
      {"fraction only", 4, 4, "9388", "0.5000"},
      {"trailing zeros kept", 4, 2, "8900", "9.00"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    auto bin = unhex(c.hex);
    REQUIRE(decimal_binary_size(c.p, c.s) == bin.size());
    std::string out;
    format_decimal(bin, c.p, c.s, out);
    CHECK(out == c.text);
  }
  CHECK(decimal_binary_size(65, 30) == 30);
  CHECK(decimal_binary_size(10, 11) == 0);
}

TEST_CASE("rows: temporal binary values print as mysqlbinlog prints them") {
  CHECK(format_one(column_type::datetime2, 0, "99A5BAC8B8") == "'2020-02-29 12:34:56'");
  CHECK(format_one(column_type::time2, 3, "7FFFFFFFF6") == "'-00:00:00.001'");
  CHECK(format_one(column_type::time2, 0, "B46EFB") == "'838:59:59'");
  CHECK(format_one(column_type::time2, 0, "4B9105") == "'-838:59:59'");
  CHECK(format_one(column_type::timestamp2, 6, "00000001000001") == "1.000001");
  CHECK(format_one(column_type::newdate, 0, "8DC20F") == "'2017:04:13'");
  CHECK(format_one(column_type::year, 0, "00") == "1900");
  CHECK(format_one(column_type::year, 0, "FF") == "2155");
}

TEST_CASE("rows: integers print signed with the unsigned reading of negatives") {
  CHECK(format_one(column_type::tiny, 0, "FF") == "-1 (255)");
  CHECK(format_one(column_type::long_, 0, "00000080") == "-2147483648 (2147483648)");
  CHECK(format_one(column_type::longlong, 0, "FFFFFFFFFFFFFFFF") == "-1 (18446744073709551615)");
  CHECK(format_one(column_type::int24, 0, "FFFF7F") == "8388607");
  CHECK(format_one(column_type::bit, 0x0005, "1F") == "b'11111'");
  CHECK(format_one(column_type::set, 0, "05", 1) == "b'00000101'");
  CHECK(format_one(column_type::string, 0, "0361005C", 10) == "'a\\x00\\'");
}

TEST_CASE("rows: binary JSON converts to MySQL's JSON text") {
  struct {
    const char* name;
    const char* hex;
    const char* text;
  } cases[] = {
      {"literal true", "0401", "true"},
      {"int16 -1", "05FFFF", "-1"},
      {"uint64 max", "0AFFFFFFFFFFFFFFFF", "18446744073709551615"},
      {"double 1.5", "0B000000000000F83F", "1.5"},
      {"integral double keeps .0", "0B0000000000000040", "2.0"},
      {"string escapes", "0C0361220A", "\"a\\\"\\n\""},
      {"small array", "0202000C000501000C0A000161", "[1, \"a\"]"},
      {"small object", "0001000C000B0001000400006B", "{\"k\": null}"},
      {"empty object", "0000000400", "{}"},
      {"opaque decimal",
       "0FF604040289"
       "00",
       "9.00"},
      {"opaque blob is base64", "0F0F0155", "\"base64:type15:VQ==\""},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    auto bin = unhex(c.hex);
    std::string out;
    auto r = json_binary_to_text(bin, out);
    REQUIRE(r);
    CHECK(out == c.text);
  }
  std::string out;
  CHECK_FALSE(json_binary_to_text(unhex("020500"), out));
  CHECK_FALSE(json_binary_to_text(unhex("0C05616263"), out));
  CHECK(out.empty());
}

TEST_CASE("rows: table map optional metadata of a MySQL 8 binlog names columns and charsets") {
  auto file = binrelay::test::read_file(binrelay::test::fixtures_dir() /
                                        "blackbeam__rust_mysql_common/test-data/binlogs/"
                                        "mysql-enum-string-set.000001");
  format_description fde;
  std::size_t maps = 0;
  for (const walked_event& e : walk_events(file, fde)) {
    if (e.header.type != event_type::table_map) continue;
    auto t = decode_table_map_event(e.header, e.body, fde);
    REQUIRE(t);
    ++maps;
    CHECK(t->has_metadata(table_map_metadata_type::column_name));
    for (const column_info& c : t->columns) {
      CHECK_FALSE(c.name.empty());
      if (c.type == column_type::enum_ || c.type == column_type::set) {
        CHECK_FALSE(c.str_values.empty());
        CHECK(c.collation != 0);
      }
    }
  }
  CHECK(maps > 0);
}

TEST_CASE("rows: truncated row data fails naming table, column and row offset") {
  // Table `d`.`t` (INT, VARCHAR(10)); one WRITE_ROWS_v2 row (7, 'abc').
  auto map_body = unhex(
      "010000000000"
      "0000"
      "016400"
      "017400"
      "02"
      "030F"
      "02"
      "0A00"
      "02");
  auto rows_body = unhex(
      "010000000000"
      "0100"
      "0200"
      "02"
      "03"
      "00"
      "07000000"
      "03616263");
  format_description fde = default_format_description(false);
  event_header mh{0, event_type::table_map, 1, 0, 0, 0};
  event_header rh{0, event_type::write_rows_v2, 1, 0, 0, 0};
  auto map = decode_table_map_event(mh, map_body, fde);
  REQUIRE(map);
  auto ev = decode_rows_event(rh, rows_body, fde);
  REQUIRE(ev);
  std::string text;
  REQUIRE(format_rows_event(*ev, *map, text));
  CHECK(text ==
        "### INSERT INTO `d`.`t`\n### SET\n"
        "###   @1=7 /* INT meta=0 nullable=0 is_null=0 */\n"
        "###   @2='abc' /* VARSTRING(10) meta=10 nullable=1 is_null=0 */\n");

  for (std::size_t cut = 1; cut < rows_body.size(); ++cut) {
    bytes_view part(rows_body.data(), rows_body.size() - cut);
    auto e = decode_rows_event(rh, part, fde);
    if (!e) continue;  // header or bitmaps cut: the event itself is rejected
    std::string out;
    auto r = format_rows_event(*e, *map, out);
    if (e->rows.empty()) continue;  // no row left at all: prints VALUES ()
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("`d`.`t`") != std::string::npos);
    CHECK(r.error().message.find("offset 0") != std::string::npos);
  }
  bytes_view one_short(rows_body.data(), rows_body.size() - 1);
  auto e = decode_rows_event(rh, one_short, fde);
  REQUIRE(e);
  std::string out;
  auto r = format_rows_event(*e, *map, out);
  REQUIRE_FALSE(r);
  CHECK(r.error().message.find("column @2") != std::string::npos);
}

TEST_CASE("rows: table map truncated anywhere is a clean error") {
  auto map_body = unhex(
      "010000000000"
      "0000"
      "016400"
      "017400"
      "02"
      "030F"
      "02"
      "0A00"
      "02");
  format_description fde = default_format_description(false);
  event_header mh{0, event_type::table_map, 1, 0, 0, 0};
  for (std::size_t n = 0; n < map_body.size(); ++n) {
    auto t = decode_table_map_event(mh, bytes_view(map_body.data(), n), fde);
    // Cutting exactly after the type array is MySQL 5.1's metadata-less layout.
    if (n == 17)
      CHECK(t);
    else
      CHECK_FALSE(t);
  }
}

}  // namespace binrelay::binlog::test
