#include <zlib.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "common/crc32.h"

using namespace binrelay;

namespace {

std::uint32_t zlib_crc(std::uint32_t crc, const std::uint8_t* p, std::size_t n) {
  return std::uint32_t(::crc32_z(crc, p, n));
}

std::vector<std::uint8_t> random_bytes(std::size_t n, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<std::uint8_t> v(n);
  for (auto& b : v) b = std::uint8_t(rng());
  return v;
}

}  // namespace

TEST_CASE("crc32: the check value on both paths, empty input is zero") {
  CHECK(crc32_update_portable(0, as_bytes("123456789")) == 0xCBF43926u);
  const std::string long_text(1000, 'x');
  CHECK(crc32(as_bytes(long_text)) == crc32_update_portable(0, as_bytes(long_text)));
  CHECK(crc32(bytes_view{}) == 0u);
  CHECK(crc32_update(0x12345678u, bytes_view{}) == 0x12345678u);
}

TEST_CASE("crc32: equals zlib for every length 0..4096 at every alignment") {
  const auto data = random_bytes(4096 + 64, 1);
  std::mt19937 rng(2);
  for (std::size_t len = 0; len <= 4096; ++len) {
    const std::size_t offset = rng() % 64;
    const std::uint32_t seed = len % 3 == 0 ? 0 : std::uint32_t(rng());
    const std::uint8_t* p = data.data() + offset;
    const std::uint32_t want = zlib_crc(seed, p, len);
    INFO("length " << len << " offset " << offset << " seed " << seed);
    REQUIRE(crc32_update(seed, bytes_view(p, len)) == want);
    REQUIRE(crc32_update_portable(seed, bytes_view(p, len)) == want);
  }
}

TEST_CASE("crc32: equals zlib on multi-megabyte buffers and patterned data") {
  const auto big = random_bytes((std::size_t(5) << 20) + 13, 3);
  CHECK(crc32(big) == zlib_crc(0, big.data(), big.size()));
  CHECK(crc32(bytes_view(big).subspan(7)) == zlib_crc(0, big.data() + 7, big.size() - 7));
  for (std::uint8_t fill : {std::uint8_t(0x00), std::uint8_t(0xff), std::uint8_t(0x80)}) {
    std::vector<std::uint8_t> same(70000, fill);
    CHECK(crc32(same) == zlib_crc(0, same.data(), same.size()));
  }
}

TEST_CASE("crc32: chained updates over random splits equal one pass") {
  const auto data = random_bytes(1 << 16, 4);
  const std::uint32_t whole = zlib_crc(0, data.data(), data.size());
  std::mt19937 rng(5);
  for (int round = 0; round < 200; ++round) {
    std::uint32_t c = 0;
    std::size_t at = 0;
    while (at < data.size()) {
      const std::size_t step = std::min<std::size_t>(data.size() - at, rng() % 700);
      c = crc32_update(c, bytes_view(data).subspan(at, step));
      at += step;
    }
    REQUIRE(c == whole);
  }
}

TEST_CASE("crc32: a flipped bit changes the checksum") {
  auto data = random_bytes(1000, 6);
  const std::uint32_t before = crc32(data);
  for (std::size_t bit = 0; bit < data.size() * 8; bit += 97) {
    data[bit / 8] ^= std::uint8_t(1u << (bit % 8));
    CHECK(crc32(data) != before);
    data[bit / 8] ^= std::uint8_t(1u << (bit % 8));
  }
  CHECK(crc32(data) == before);
}
