#include "common/crc32.h"

#include <array>
#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

// Notation: the CRC works on reflected polynomials over GF(2). In a message, the least
// significant bit of byte 0 is the coefficient of the highest power of x; the register holds
// the remainder with bit i = coefficient of x^(31-i).

namespace binrelay {
namespace {

constexpr std::uint64_t crc_poly = 0x104C11DB7;  // P(x), normal (non-reflected) order
constexpr std::uint32_t crc_poly_reflected = 0xEDB88320;

using crc_table = std::array<std::array<std::uint32_t, 256>, 8>;

// table[0] advances the register by one byte; table[k] by one byte followed by k zero bytes.
constexpr crc_table make_tables() {
  crc_table t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int bit = 0; bit < 8; ++bit) c = (c & 1) ? (c >> 1) ^ crc_poly_reflected : c >> 1;
    t[0][i] = c;
  }
  for (std::size_t k = 1; k < 8; ++k) {
    for (std::size_t i = 0; i < 256; ++i) t[k][i] = (t[k - 1][i] >> 8) ^ t[0][t[k - 1][i] & 0xff];
  }
  return t;
}

constexpr crc_table tables = make_tables();

// Advances the raw register (already inverted) over `n` bytes.
std::uint32_t advance_portable(std::uint32_t c, const std::uint8_t* p, std::size_t n) {
  for (; n >= 8; p += 8, n -= 8) {
    const std::uint64_t v = load_u64(p) ^ c;
    c = tables[7][v & 0xff] ^ tables[6][(v >> 8) & 0xff] ^ tables[5][(v >> 16) & 0xff] ^
        tables[4][(v >> 24) & 0xff] ^ tables[3][(v >> 32) & 0xff] ^ tables[2][(v >> 40) & 0xff] ^
        tables[1][(v >> 48) & 0xff] ^ tables[0][v >> 56];
  }
  for (; n > 0; ++p, --n) c = (c >> 8) ^ tables[0][(c ^ *p) & 0xff];
  return c;
}

#if defined(__x86_64__)

// x^k mod P(x), bit-reflected into 32 bits (bit i = coefficient of x^(31-i)).
constexpr std::uint64_t x_pow_mod_reflected(unsigned k) {
  std::uint64_t r = 1;
  for (unsigned i = 0; i < k; ++i) {
    r <<= 1;
    if (r & (std::uint64_t(1) << 32)) r ^= crc_poly;
  }
  std::uint64_t reflected = 0;
  for (int i = 0; i < 32; ++i) {
    if (r & (std::uint64_t(1) << i)) reflected |= std::uint64_t(1) << (31 - i);
  }
  return reflected;
}

// Folding a 128-bit lane D = D_hi*x^64 + D_lo forward by T bits: the low quadword of a loaded
// lane holds D_hi (bit i = x^(63-i)), the high quadword D_lo. clmul of such a quadword with a
// reflected 32-bit constant K yields bit k = x^(94-k); read as a lane (bit k = x^(127-k)) that
// is the product times x^33. So D*x^T == D_hi*K_hi*x^33 + D_lo*K_lo*x^33 (mod P) with
// K_hi = x^(T+31) mod P and K_lo = x^(T-33) mod P. Returned as {low: K_hi, high: K_lo}.
struct fold_constants {
  std::uint64_t hi_half;
  std::uint64_t lo_half;
};
constexpr fold_constants fold_by(unsigned bits) {
  return {x_pow_mod_reflected(bits + 31), x_pow_mod_reflected(bits - 33)};
}
constexpr fold_constants fold_512 = fold_by(512);
constexpr fold_constants fold_128 = fold_by(128);

__attribute__((target("pclmul,sse4.1"))) inline __m128i fold(__m128i lane, __m128i k,
                                                             __m128i next) {
  const __m128i a = _mm_clmulepi64_si128(lane, k, 0x00);
  const __m128i b = _mm_clmulepi64_si128(lane, k, 0x11);
  return _mm_xor_si128(_mm_xor_si128(a, b), next);
}

__attribute__((target("pclmul,sse4.1"))) inline __m128i load_lane(const std::uint8_t* p) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}

// REQUIRES: n >= 64. Advances the raw register over `n` bytes: four lanes are folded 64 bytes
// at a time, then into one lane, which (being congruent to everything consumed) is finished
// with the tail bytes by the table code.
__attribute__((target("pclmul,sse4.1"))) std::uint32_t advance_pclmul(std::uint32_t c,
                                                                      const std::uint8_t* p,
                                                                      std::size_t n) {
  const __m128i k512 =
      _mm_set_epi64x(std::int64_t(fold_512.lo_half), std::int64_t(fold_512.hi_half));
  const __m128i k128 =
      _mm_set_epi64x(std::int64_t(fold_128.lo_half), std::int64_t(fold_128.hi_half));
  __m128i x0 = _mm_xor_si128(load_lane(p), _mm_cvtsi32_si128(std::int32_t(c)));
  __m128i x1 = load_lane(p + 16);
  __m128i x2 = load_lane(p + 32);
  __m128i x3 = load_lane(p + 48);
  p += 64;
  n -= 64;
  for (; n >= 64; p += 64, n -= 64) {
    x0 = fold(x0, k512, load_lane(p));
    x1 = fold(x1, k512, load_lane(p + 16));
    x2 = fold(x2, k512, load_lane(p + 32));
    x3 = fold(x3, k512, load_lane(p + 48));
  }
  __m128i x = fold(x0, k128, x1);
  x = fold(x, k128, x2);
  x = fold(x, k128, x3);
  for (; n >= 16; p += 16, n -= 16) x = fold(x, k128, load_lane(p));
  alignas(16) std::uint8_t lane[16];
  _mm_store_si128(reinterpret_cast<__m128i*>(lane), x);
  return advance_portable(advance_portable(0, lane, sizeof lane), p, n);
}

bool detect_pclmul() {
  return __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
}

constexpr std::size_t pclmul_min_bytes = 64;

#else

bool detect_pclmul() {
  return false;
}

#endif

}  // namespace

bool crc32_uses_pclmul() {
  static const bool yes = detect_pclmul();
  return yes;
}

std::uint32_t crc32_update_portable(std::uint32_t crc, bytes_view data) {
  return ~advance_portable(~crc, data.data(), data.size());
}

std::uint32_t crc32_update(std::uint32_t crc, bytes_view data) {
#if defined(__x86_64__)
  if (data.size() >= pclmul_min_bytes && crc32_uses_pclmul()) {
    return ~advance_pclmul(~crc, data.data(), data.size());
  }
#endif
  return crc32_update_portable(crc, data);
}

std::uint32_t crc32(bytes_view data) {
  return crc32_update(0, data);
}

}  // namespace binrelay
