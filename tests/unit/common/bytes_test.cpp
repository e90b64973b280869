#include <catch2/catch.hpp>

#include "common/bytes.h"
#include "common/crc32.h"
#include "common/result.h"

using namespace binrelay;

TEST_CASE("byte_reader: fixed-width little-endian fields") {
  const std::uint8_t data[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09};
  byte_reader r(data);
  CHECK(r.u8() == 0x01);
  CHECK(r.u16() == 0x0302);
  CHECK(r.u32() == 0x07060504);
  CHECK(r.ok());
  CHECK(r.remaining() == 2);
}

TEST_CASE("byte_reader: reading past the end fails and stays failed") {
  const std::uint8_t data[] = {0x01, 0x02};
  byte_reader r(data);
  CHECK(r.u32() == 0);
  CHECK_FALSE(r.ok());
  CHECK(r.u8() == 0);
  CHECK(r.remaining() == 0);
}

TEST_CASE("byte_reader: length-encoded integers of every width round-trip") {
  for (std::uint64_t v :
       {0ull, 250ull, 251ull, 65535ull, 65536ull, 16777215ull, 16777216ull, ~0ull}) {
    std::vector<std::uint8_t> buf;
    byte_writer w(buf);
    w.lenenc(v);
    byte_reader r(buf);
    CHECK(r.lenenc() == v);
    CHECK(r.ok());
    CHECK(r.empty());
  }
}

TEST_CASE("byte_reader: 0xFB length prefix is NULL, 0xFF is invalid") {
  const std::uint8_t null_prefix[] = {0xFB};
  bool is_null = false;
  byte_reader r(null_prefix);
  r.lenenc(&is_null);
  CHECK(is_null);
  const std::uint8_t bad[] = {0xFF};
  byte_reader r2(bad);
  r2.lenenc();
  CHECK_FALSE(r2.ok());
}

TEST_CASE("byte_reader: NUL-terminated string without terminator fails") {
  const std::uint8_t data[] = {'a', 'b'};
  byte_reader r(data);
  CHECK(r.str_nul().empty());
  CHECK_FALSE(r.ok());
}

TEST_CASE("crc32: matches the standard check value") {
  CHECK(crc32(as_bytes("123456789")) == 0xCBF43926u);
  CHECK(crc32_update(crc32(as_bytes("1234")), as_bytes("56789")) == 0xCBF43926u);
}

TEST_CASE("result: carries either a value or an error with its message") {
  result<int> good = 5;
  REQUIRE(good);
  CHECK(*good == 5);
  result<int> bad = make_error(errc::truncated, "event at offset {} ends early", 120);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == errc::truncated);
  CHECK(bad.error().describe() == "truncated: event at offset 120 ends early");
}
