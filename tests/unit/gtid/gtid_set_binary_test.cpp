// gtid_set binary encoding: byte-exact named cases and corrupt or truncated input.

#include <catch2/catch.hpp>

#include "common/bytes.h"
#include "gtid/gtid_set.h"

using namespace binrelay;
using namespace binrelay::gtid;

namespace {

// The 9.6 tagged body from the fixture binlog_transaction_with_GTID_TAG.000001.
const char* tagged_hex =
    "0102000000000001"
    "55778904029911f1b1b84ef0c4956feb"
    "00"
    "0100000000000000"
    "0100000000000000"
    "0e00000000000000"
    "55778904029911f1b1b84ef0c4956feb"
    "0a"
    "6d79746167"
    "0100000000000000"
    "0100000000000000"
    "0300000000000000";

std::vector<std::uint8_t> from_hex(std::string_view hex) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

std::vector<std::uint8_t> encode(const gtid_set& s) {
  std::vector<std::uint8_t> out;
  s.encode_binary(out);
  return out;
}

gtid_set parse(std::string_view text) {
  return *gtid_set::parse(text);
}

struct bad_case {
  const char* name;
  std::string hex;
  errc code;
  const char* message_part;
};

const std::string sid_hex = "3e11fa4771ca11e19e33c80aa9429562";

}  // namespace

TEST_CASE("gtid_set binary: encodes byte-exactly", "[gtid]") {
  SECTION("empty set is a zero count") {
    CHECK(to_hex(encode(gtid_set{})) == "0000000000000000");
  }
  SECTION("untagged set uses the plain count") {
    const gtid_set s = parse("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7");
    CHECK(to_hex(encode(s)) == "0100000000000000" + sid_hex +
                                   "0200000000000000"
                                   "0100000000000000"
                                   "0600000000000000"
                                   "0700000000000000"
                                   "0800000000000000");
  }
  SECTION("a tag anywhere switches the whole set to the tagged format") {
    const gtid_set s = parse("55778904-0299-11f1-b1b8-4ef0c4956feb:1-13:mytag:1-2");
    CHECK(to_hex(encode(s)) == tagged_hex);
  }
}

TEST_CASE("gtid_set binary: decodes the tagged format", "[gtid]") {
  auto s = gtid_set::decode_binary(from_hex(tagged_hex));
  REQUIRE(s);
  CHECK(s->to_string() == "55778904-0299-11f1-b1b8-4ef0c4956feb:1-13:mytag:1-2");
}

TEST_CASE("gtid_set binary: unsorted or repeated entries merge as MySQL does", "[gtid]") {
  const std::string other = "ffffffffffffffffffffffffffffffff";
  const std::string hex = "0300000000000000" + other +
                          "01000000000000000100000000000000"
                          "0200000000000000" +
                          sid_hex +
                          "01000000000000000500000000000000"
                          "0600000000000000" +
                          sid_hex +
                          "01000000000000000100000000000000"
                          "0500000000000000";
  auto s = gtid_set::decode_binary(from_hex(hex));
  REQUIRE(s);
  CHECK(s->to_string() ==
        "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5,\nffffffff-ffff-ffff-ffff-ffffffffffff:1");
}

TEST_CASE("gtid_set binary: corrupt and truncated input fails with the cause", "[gtid]") {
  const std::string one = "0100000000000000" + sid_hex;
  const std::vector<bad_case> cases = {
      {"empty input", "", errc::truncated, "need at least 8"},
      {"count cut short", "01000000", errc::truncated, "need at least 8"},
      {"count larger than the input", "0200000000000000" + sid_hex + "0000000000000000",
       errc::truncated, "2 entries cannot fit in 32 bytes"},
      {"huge count", "ffffffffffffff00", errc::truncated, "cannot fit"},
      {"unknown format byte", "0000000000000002", errc::corrupt, "unknown format 2"},
      {"interval count larger than the input",
       one + "0200000000000000"
             "01000000000000000200000000000000",
       errc::truncated, "claims 2 intervals"},
      {"start of zero",
       one + "01000000000000000000000000000000"
             "0200000000000000",
       errc::corrupt, "not sorted"},
      {"empty interval",
       one + "01000000000000000500000000000000"
             "0500000000000000",
       errc::corrupt, "start < end"},
      {"reversed interval",
       one + "01000000000000000500000000000000"
             "0300000000000000",
       errc::corrupt, "start < end"},
      {"touching intervals",
       one + "0200000000000000"
             "01000000000000000300000000000000"
             "03000000000000000500000000000000",
       errc::corrupt, "non-touching"},
      {"unsorted intervals",
       one + "0200000000000000"
             "05000000000000000600000000000000"
             "01000000000000000300000000000000",
       errc::corrupt, "sorted"},
      {"end beyond the largest gno",
       one + "0100000000000000"
             "01000000000000000000000000000080",
       errc::corrupt, "1..9223372036854775806"},
      {"trailing bytes",
       one + "0000000000000000"
             "00",
       errc::corrupt, "1 trailing bytes"},
      {"tag length byte with continuation bit", "0101000000000001" + sid_hex + "03",
       errc::truncated, "cannot fit"},
      {"odd tag length byte",
       "0101000000000001" + sid_hex +
           "03"
           "0000000000000000",
       errc::corrupt, "tag length byte 0x03"},
      {"tag longer than 32",
       "0101000000000001" + sid_hex + "42" + std::string(66, '6') + "0000000000000000",
       errc::corrupt, "exceeds 32"},
      {"tag cut short",
       "0101000000000001" + sid_hex +
           "0a"
           "6d79"
           "00000000000000000000",
       errc::corrupt, "not a lowercase"},
      {"uppercase tag",
       "0101000000000001" + sid_hex +
           "0a"
           "4d59544147"
           "0000000000000000",
       errc::corrupt, "not a lowercase"},
  };
  for (const auto& c : cases) {
    INFO(c.name << ": " << c.hex);
    auto s = gtid_set::decode_binary(from_hex(c.hex));
    REQUIRE_FALSE(s);
    CHECK(s.error().code == c.code);
    CHECK_THAT(s.error().message, Catch::Contains(c.message_part));
  }
}

TEST_CASE("gtid_set binary: an interval ending at the largest gno decodes", "[gtid]") {
  const std::string hex = "0100000000000000" + sid_hex +
                          "0100000000000000"
                          "0100000000000000"
                          "ffffffffffffff7f";
  auto s = gtid_set::decode_binary(from_hex(hex));
  REQUIRE(s);
  CHECK(s->to_string() == "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-9223372036854775806");
  CHECK(to_hex(encode(*s)) == hex);
}

TEST_CASE("gtid_set binary: every truncation of a valid encoding fails cleanly", "[gtid]") {
  const std::vector<std::uint8_t> full = from_hex(tagged_hex);
  for (std::size_t n = 0; n < full.size(); ++n) {
    INFO("first " << n << " bytes");
    auto s = gtid_set::decode_binary(bytes_view(full.data(), n));
    CHECK_FALSE(s);
  }
}
