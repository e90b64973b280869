#include "binlog/decimal.h"

#include <algorithm>
#include <cassert>

namespace binrelay::binlog {
namespace {

constexpr int dig2bytes[10] = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};

// Reads `n` big-endian bytes as a signed group (after the sign flip) and the mask.
std::uint32_t read_group(const std::uint8_t* p, int n, std::uint8_t mask) {
  std::uint32_t v = 0;
  for (int i = 0; i < n; ++i) v = v << 8 | std::uint8_t(p[i] ^ mask);
  return v;
}

// Writes `width` digits of `v` (zero-padded) at p; returns the end.
char* put_digits(std::uint32_t v, int width, char* p) {
  for (int i = width - 1; i >= 0; --i) {
    p[i] = char('0' + v % 10);
    v /= 10;
  }
  return p + width;
}

}  // namespace

std::size_t decimal_binary_size(unsigned precision, unsigned scale) {
  if (scale > precision || precision > 65 || scale > 30 || precision == 0) return 0;
  unsigned intg = precision - scale;
  return (intg / 9) * 4 + std::size_t(dig2bytes[intg % 9]) + (scale / 9) * 4 +
         std::size_t(dig2bytes[scale % 9]);
}

void format_decimal(bytes_view bin, unsigned precision, unsigned scale, std::string& out) {
  assert(precision <= 65 && scale <= precision);  // decimal_binary_size() > 0
  const unsigned intg = precision - scale;
  const int intg0 = int(intg / 9), intg0x = int(intg % 9);
  const int frac0 = int(scale / 9), frac0x = int(scale % 9);
  const bool negative = (bin[0] & 0x80) == 0;
  const std::uint8_t mask = negative ? 0xFF : 0x00;
  // The sign lives in the top bit of the first byte; undo it on a copy (at most 30 bytes).
  std::uint8_t patched[32] = {};
  for (std::size_t i = 0; i < bin.size() && i < sizeof(patched); ++i) patched[i] = bin[i];
  patched[0] ^= 0x80;
  const std::uint8_t* p = patched;
  // Built in a local buffer (at most 65 digits, a sign and a point) and appended once.
  char text[96];
  char* t = text;
  if (negative) *t++ = '-';
  char* const int_start = t;
  if (intg0x) {
    int b = dig2bytes[intg0x];
    t = put_digits(read_group(p, b, mask), intg0x, t);
    p += b;
  }
  for (int i = 0; i < intg0; ++i, p += 4) t = put_digits(read_group(p, 4, mask), 9, t);
  // Strip leading zeros of the integer part, keeping one digit.
  char* nz = int_start;
  while (nz < t && *nz == '0') ++nz;
  if (nz == t) {
    t = int_start;
    *t++ = '0';
  } else if (nz > int_start) {
    t = std::copy(nz, t, int_start);
  }
  if (scale) {
    *t++ = '.';
    for (int i = 0; i < frac0; ++i, p += 4) t = put_digits(read_group(p, 4, mask), 9, t);
    if (frac0x) t = put_digits(read_group(p, dig2bytes[frac0x], mask), frac0x, t);
  }
  out.append(text, std::size_t(t - text));
}

}  // namespace binrelay::binlog
