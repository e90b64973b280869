// CRC-32 throughput: binrelay::crc32 (PCLMULQDQ when available), its portable slicing-by-8
// path, and zlib's crc32_z, over event-sized and large buffers.
// Build and run:
//   g++ -O2 -std=c++20 -Isrc bench/crc32_bench.cpp src/common/crc32.cpp -lz -o /tmp/crc32_bench
//   /tmp/crc32_bench
#include <zlib.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "common/crc32.h"

namespace {

template <class F>
double gb_per_second(const std::vector<std::uint8_t>& buf, std::size_t chunk, F f) {
  const std::size_t total = std::size_t(2) << 30;
  std::uint32_t sink = 0;
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t done = 0; done < total; done += chunk) {
    sink ^= f(buf.data() + (done % (buf.size() - chunk)), chunk);
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (sink == 0x12345678) std::puts("");
  return double(total) / s / 1e9;
}

}  // namespace

int main() {
  std::vector<std::uint8_t> buf(std::size_t(8) << 20);
  for (std::size_t i = 0; i < buf.size(); ++i) buf[i] = std::uint8_t(i * 2654435761u >> 13);
  std::printf("pclmul path in use: %s\n", binrelay::crc32_uses_pclmul() ? "yes" : "no");
  std::printf("%10s %12s %12s %12s\n", "bytes", "binrelay", "portable", "zlib");
  for (std::size_t chunk : {31, 64, 300, 4096, 1 << 20}) {
    double ours = gb_per_second(buf, chunk, [](const std::uint8_t* p, std::size_t n) {
      return binrelay::crc32(binrelay::bytes_view(p, n));
    });
    double portable = gb_per_second(buf, chunk, [](const std::uint8_t* p, std::size_t n) {
      return binrelay::crc32_update_portable(0, binrelay::bytes_view(p, n));
    });
    double zlib = gb_per_second(buf, chunk, [](const std::uint8_t* p, std::size_t n) {
      return std::uint32_t(::crc32_z(0, p, n));
    });
    std::printf("%10zu %9.2f GB/s %7.2f GB/s %7.2f GB/s\n", chunk, ours, portable, zlib);
  }
}
