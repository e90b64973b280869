#include "gtid/uuid.h"

#include <cstring>

namespace binrelay::gtid {
namespace {

constexpr bool is_dash_offset(std::size_t i) {
  return i == 8 || i == 13 || i == 18 || i == 23;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string printable(char c) {
  if (c >= 0x20 && c < 0x7f) return fmt::format("'{}'", c);
  return fmt::format("byte 0x{:02x}", static_cast<unsigned char>(c));
}

}  // namespace

result<uuid> uuid::parse(std::string_view text) {
  if (text.size() != text_size) {
    return make_error(errc::invalid_argument, "uuid '{}' has {} characters, expected {}",
                      text.substr(0, 64), text.size(), text_size);
  }
  uuid u;
  std::size_t out = 0;
  for (std::size_t i = 0; i < text_size; ++i) {
    const char c = text[i];
    if (is_dash_offset(i)) {
      if (c != '-') {
        return make_error(errc::invalid_argument, "uuid '{}': expected '-' at offset {}, found {}",
                          text, i, printable(c));
      }
      continue;
    }
    const int hi = hex_value(c);
    const int lo = i + 1 < text_size ? hex_value(text[i + 1]) : -1;
    if (hi < 0 || lo < 0) {
      const std::size_t bad = hi < 0 ? i : i + 1;
      return make_error(errc::invalid_argument,
                        "uuid '{}': expected a hex digit at offset {}, found {}", text, bad,
                        printable(text[bad]));
    }
    u.bytes[out++] = static_cast<std::uint8_t>(hi << 4 | lo);
    ++i;
  }
  return u;
}

uuid uuid::from_bytes(bytes_view b) {
  uuid u;
  std::memcpy(u.bytes.data(), b.data(), size);
  return u;
}

void uuid::format_to(char* out) const {
  static constexpr char digits[] = "0123456789abcdef";
  std::size_t pos = 0;
  for (std::size_t i = 0; i < size; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out[pos++] = '-';
    out[pos++] = digits[bytes[i] >> 4];
    out[pos++] = digits[bytes[i] & 0x0f];
  }
}

std::string uuid::to_string() const {
  std::string s(text_size, '\0');
  format_to(s.data());
  return s;
}

bool uuid::is_nil() const {
  for (std::uint8_t b : bytes) {
    if (b != 0) return false;
  }
  return true;
}

std::size_t uuid_hash::operator()(const uuid& u) const noexcept {
  // Server uuids are random (v1 time-based or v4) in their low 8 bytes and the time field of
  // v1 varies in the first 8; mix both halves.
  const std::uint64_t a = load_u64(u.bytes.data());
  const std::uint64_t b = load_u64(u.bytes.data() + 8);
  std::uint64_t h = a * 0x9E3779B97F4A7C15ull ^ (b + 0x7F4A7C159E3779B9ull + (a << 6) + (a >> 2));
  h ^= h >> 31;
  return static_cast<std::size_t>(h);
}

}  // namespace binrelay::gtid
