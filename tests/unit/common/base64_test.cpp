#include <catch2/catch.hpp>

#include <random>

#include "common/base64.h"

using namespace binrelay;

namespace {
std::string encode(std::string_view s) {
  std::string out;
  base64_append(bytes_view(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()), out);
  return out;
}
}  // namespace

TEST_CASE("base64: RFC 4648 test vectors", "[base64]") {
  CHECK(encode("") == "");
  CHECK(encode("f") == "Zg==");
  CHECK(encode("fo") == "Zm8=");
  CHECK(encode("foo") == "Zm9v");
  CHECK(encode("foob") == "Zm9vYg==");
  CHECK(encode("fooba") == "Zm9vYmE=");
  CHECK(encode("foobar") == "Zm9vYmFy");
}

TEST_CASE("base64: appends after what the string holds", "[base64]") {
  std::string out = "BINLOG '";
  const std::uint8_t bytes[] = {0xfb, 0xff, 0x00};
  base64_append(bytes_view(bytes, 3), out);
  CHECK(out == "BINLOG '+/8A");
  CHECK(base64_length(3) == 4);
  CHECK(base64_length(4) == 8);
}

TEST_CASE("base64: every length round-trips through the decoder", "[base64]") {
  std::mt19937 rng(7);
  for (std::size_t n = 0; n < 200; ++n) {
    std::vector<std::uint8_t> data(n);
    for (auto& b : data) b = static_cast<std::uint8_t>(rng());
    std::string text;
    base64_append(data, text);
    REQUIRE(text.size() == base64_length(n));
    auto back = base64_decode(text);
    REQUIRE(back);
    CHECK(*back == data);
  }
}

TEST_CASE("base64: the decoder refuses what is not base64", "[base64]") {
  CHECK_FALSE(base64_decode("Zg="));
  CHECK_FALSE(base64_decode("Z*=="));
  CHECK(base64_decode("Zg==") == std::vector<std::uint8_t>{'f'});
}
