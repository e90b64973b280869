#include "common/bytes.h"

namespace binrelay {

std::uint64_t byte_reader::uint_n(std::size_t width) {
  if (width == 0 || width > 8 || failed_ || data_.size() - pos_ < width) {
    failed_ = true;
    return 0;
  }
  std::uint64_t v = 0;
  std::memcpy(&v, data_.data() + pos_, width);
  pos_ += width;
  return v;
}

std::uint64_t byte_reader::lenenc(bool* is_null) {
  if (is_null) *is_null = false;
  std::uint8_t first = u8();
  if (first < 0xFB) return first;
  switch (first) {
    case 0xFB:
      if (is_null) *is_null = true;
      return 0;
    case 0xFC:
      return u16();
    case 0xFD:
      return u24();
    case 0xFE:
      return u64();
    default:
      failed_ = true;
      return 0;  // 0xFF is never a valid length prefix
  }
}

bytes_view byte_reader::bytes(std::size_t n) {
  if (failed_ || data_.size() - pos_ < n) {
    failed_ = true;
    return {};
  }
  bytes_view out = data_.subspan(pos_, n);
  pos_ += n;
  return out;
}

std::string_view byte_reader::str_nul() {
  if (failed_) return {};
  const std::uint8_t* begin = data_.data() + pos_;
  const void* nul = std::memchr(begin, 0, data_.size() - pos_);
  if (!nul) {
    failed_ = true;
    return {};
  }
  std::size_t n = static_cast<const std::uint8_t*>(nul) - begin;
  std::string_view out(reinterpret_cast<const char*>(begin), n);
  pos_ += n + 1;
  return out;
}

void byte_writer::lenenc(std::uint64_t v) {
  if (v < 0xFB) {
    u8(std::uint8_t(v));
  } else if (v <= 0xFFFF) {
    u8(0xFC);
    u16(std::uint16_t(v));
  } else if (v <= 0xFFFFFF) {
    u8(0xFD);
    u24(std::uint32_t(v));
  } else {
    u8(0xFE);
    u64(v);
  }
}

std::string to_hex(bytes_view b) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(b.size() * 2);
  for (std::uint8_t c : b) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 15]);
  }
  return out;
}

}  // namespace binrelay
