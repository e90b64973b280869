#include "binlog/decimal.h"

namespace binrelay::binlog {
namespace {

constexpr int dig2bytes[10] = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};

// Reads `n` big-endian bytes as a signed group (after the sign flip) and the mask.
std::uint32_t read_group(const std::uint8_t* p, int n, std::uint8_t mask) {
  std::uint32_t v = 0;
  for (int i = 0; i < n; ++i) v = v << 8 | std::uint8_t(p[i] ^ mask);
  return v;
}

void append_digits(std::uint32_t v, int width, std::string& out) {
  char buf[9];
  for (int i = width - 1; i >= 0; --i) {
    buf[i] = char('0' + v % 10);
    v /= 10;
  }
  out.append(buf, std::size_t(width));
}

}  // namespace

std::size_t decimal_binary_size(unsigned precision, unsigned scale) {
  if (scale > precision || precision > 65 || scale > 30 || precision == 0) return 0;
  unsigned intg = precision - scale;
  return (intg / 9) * 4 + std::size_t(dig2bytes[intg % 9]) + (scale / 9) * 4 +
         std::size_t(dig2bytes[scale % 9]);
}

void format_decimal(bytes_view bin, unsigned precision, unsigned scale, std::string& out) {
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
  if (negative) out.push_back('-');
  std::size_t int_start = out.size();
  if (intg0x) {
    int b = dig2bytes[intg0x];
    append_digits(read_group(p, b, mask), intg0x, out);
    p += b;
  }
  for (int i = 0; i < intg0; ++i, p += 4) append_digits(read_group(p, 4, mask), 9, out);
  // Strip leading zeros of the integer part, keeping one digit.
  std::size_t nz = int_start;
  while (nz < out.size() && out[nz] == '0') ++nz;
  if (nz == out.size()) {
    out.resize(int_start);
    out.push_back('0');
  } else if (nz > int_start) {
    out.erase(int_start, nz - int_start);
  }
  if (scale) {
    out.push_back('.');
    for (int i = 0; i < frac0; ++i, p += 4) append_digits(read_group(p, 4, mask), 9, out);
    if (frac0x) append_digits(read_group(p, dig2bytes[frac0x], mask), frac0x, out);
  }
}

}  // namespace binrelay::binlog
