#include "binlog/mysql_serialization.h"

#include <bit>

namespace binrelay::binlog::serialization {
namespace {

std::uint64_t zigzag(std::int64_t v) {
  return v >= 0 ? std::uint64_t(v) << 1 : (std::uint64_t(-(v + 1)) << 1) | 1;
}

}  // namespace

std::uint64_t read_varint(byte_reader& in) {
  if (in.remaining() == 0) {
    in.fail();
    return 0;
  }
  const int n = std::countr_one(in.rest()[0]) + 1;
  if (n == 9) {
    in.skip(1);
    return in.u64();
  }
  return in.uint_n(std::size_t(n)) >> n;
}

std::int64_t read_signed_varint(byte_reader& in) {
  const std::uint64_t u = read_varint(in);
  const std::uint64_t magnitude = u >> 1;
  return (u & 1) ? -std::int64_t(magnitude) - 1 : std::int64_t(magnitude);
}

std::size_t varint_size(std::uint64_t v) {
  for (std::size_t n = 1; n <= 8; ++n) {
    if ((v >> (7 * n)) == 0) return n;
  }
  return 9;
}

std::size_t signed_varint_size(std::int64_t v) {
  return varint_size(zigzag(v));
}

void write_varint(byte_writer& out, std::uint64_t v) {
  const std::size_t n = varint_size(v);
  if (n == 9) {
    out.u8(0xFF);
    out.u64(v);
    return;
  }
  // n - 1 trailing ones, then a zero bit, then the value.
  const std::uint64_t marker = (std::uint64_t(1) << (n - 1)) - 1;
  out.uint_n((v << n) | marker, n);
}

void write_signed_varint(byte_writer& out, std::int64_t v) {
  write_varint(out, zigzag(v));
}

}  // namespace binrelay::binlog::serialization
