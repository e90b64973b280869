#pragma once
// Little-endian byte reading and writing over contiguous memory, as every MySQL wire and binlog
// structure is laid out. The formats themselves are described in docs/formats.md.
//
// byte_reader is bounds-checked with a sticky failure flag: a read past the end returns zero
// (or an empty span), marks the reader failed, and every later read fails too. A decoder reads
// all fields, then checks `ok()` once. This keeps hot decoding loops free of branches on
// every field while never reading out of bounds.
//
// Lifetime: a reader does not own its bytes; they must outlive the reader and every span it
// returned. Not thread-safe (a value type: copy it to fork a cursor).

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace binrelay {

using bytes_view = std::span<const std::uint8_t>;

inline std::string_view as_string_view(bytes_view b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}
inline bytes_view as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// Fixed-width little-endian loads from a pointer the caller has bounds-checked.
template <int N>
inline std::uint64_t load_le(const std::uint8_t* p) {
  static_assert(N >= 1 && N <= 8);
  std::uint64_t v = 0;
  std::memcpy(&v, p, N);  // little-endian host (x86_64, aarch64)
  return v;
}
inline std::uint16_t load_u16(const std::uint8_t* p) {
  return std::uint16_t(load_le<2>(p));
}
inline std::uint32_t load_u32(const std::uint8_t* p) {
  return std::uint32_t(load_le<4>(p));
}
inline std::uint64_t load_u64(const std::uint8_t* p) {
  return load_le<8>(p);
}
inline void store_u32(std::uint8_t* p, std::uint32_t v) {
  std::memcpy(p, &v, 4);
}
inline void store_u16(std::uint8_t* p, std::uint16_t v) {
  std::memcpy(p, &v, 2);
}

class byte_reader {
 public:
  byte_reader() = default;
  explicit byte_reader(bytes_view data) : data_(data) {}

  bool ok() const { return !failed_; }
  bool empty() const { return pos_ >= data_.size(); }
  std::size_t position() const { return pos_; }
  std::size_t remaining() const { return failed_ ? 0 : data_.size() - pos_; }
  bytes_view rest() const { return failed_ ? bytes_view{} : data_.subspan(pos_); }
  // Marks the reader failed (a decoder found an impossible value).
  void fail() { failed_ = true; }

  std::uint8_t u8() { return std::uint8_t(fixed<1>()); }
  std::uint16_t u16() { return std::uint16_t(fixed<2>()); }
  std::uint32_t u24() { return std::uint32_t(fixed<3>()); }
  std::uint32_t u32() { return std::uint32_t(fixed<4>()); }
  std::uint64_t u48() { return fixed<6>(); }
  std::uint64_t u56() { return fixed<7>(); }
  std::uint64_t u64() { return fixed<8>(); }
  // Width 1..8 bytes, little-endian.
  std::uint64_t uint_n(std::size_t width);

  // MySQL length-encoded integer (net_field_length). 0xFB (NULL) is reported through
  // *is_null when given, else read as 0.
  std::uint64_t lenenc(bool* is_null = nullptr);

  bytes_view bytes(std::size_t n);
  std::string_view str(std::size_t n) { return as_string_view(bytes(n)); }
  // A u8 length then that many bytes.
  std::string_view str_u8() { return str(u8()); }
  std::string_view str_lenenc() { return str(lenenc()); }
  // Bytes up to a NUL, which is consumed; fails if there is none.
  std::string_view str_nul();
  void skip(std::size_t n) { (void)bytes(n); }

 private:
  template <int N>
  std::uint64_t fixed() {
    if (failed_ || data_.size() - pos_ < N) {
      failed_ = true;
      return 0;
    }
    std::uint64_t v = load_le<N>(data_.data() + pos_);
    pos_ += N;
    return v;
  }

  bytes_view data_;
  std::size_t pos_ = 0;
  bool failed_ = false;
};

// Appends little-endian fields to a byte vector it does not own.
class byte_writer {
 public:
  explicit byte_writer(std::vector<std::uint8_t>& out) : out_(out) {}

  std::size_t size() const { return out_.size(); }
  void u8(std::uint8_t v) { out_.push_back(v); }
  void u16(std::uint16_t v) { fixed(v, 2); }
  void u24(std::uint32_t v) { fixed(v, 3); }
  void u32(std::uint32_t v) { fixed(v, 4); }
  void u48(std::uint64_t v) { fixed(v, 6); }
  void u64(std::uint64_t v) { fixed(v, 8); }
  void uint_n(std::uint64_t v, std::size_t width) { fixed(v, width); }
  void lenenc(std::uint64_t v);
  void bytes(bytes_view b) { out_.insert(out_.end(), b.begin(), b.end()); }
  void str(std::string_view s) { bytes(as_bytes(s)); }
  void str_lenenc(std::string_view s) {
    lenenc(s.size());
    str(s);
  }
  void str_nul(std::string_view s) {
    str(s);
    u8(0);
  }
  void zeros(std::size_t n) { out_.insert(out_.end(), n, 0); }
  // Overwrites a u32 at an earlier offset (for lengths known only at the end).
  void patch_u32(std::size_t offset, std::uint32_t v) { store_u32(out_.data() + offset, v); }

 private:
  void fixed(std::uint64_t v, std::size_t width) {
    std::uint8_t buf[8];
    std::memcpy(buf, &v, 8);
    out_.insert(out_.end(), buf, buf + width);
  }
  std::vector<std::uint8_t>& out_;
};

// Lowercase hex of bytes, for messages and hexdumps.
std::string to_hex(bytes_view b);

}  // namespace binrelay
