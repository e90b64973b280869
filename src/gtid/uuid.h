#pragma once
// A MySQL server UUID (the "source id" of a GTID): 16 bytes, printed as 36 characters
// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, lowercase hex. Binary form is the 16 bytes in
// text order (as in Gtid_log_event and the Gtid_set encoding). Ordering is bytewise, which
// equals the ordering of the lowercase text, the order MySQL prints GTID sets in.

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/bytes.h"
#include "common/result.h"

namespace binrelay::gtid {

struct uuid {
  static constexpr std::size_t size = 16;
  static constexpr std::size_t text_size = 36;

  std::array<std::uint8_t, size> bytes{};

  // Parses exactly 36 characters with dashes at offsets 8, 13, 18, 23; hex digits in either
  // case. Fails with errc::invalid_argument naming the offending character and its offset.
  static result<uuid> parse(std::string_view text);
  // REQUIRES: b.size() >= 16. Takes the first 16 bytes.
  static uuid from_bytes(bytes_view b);

  // Lowercase with dashes.
  std::string to_string() const;
  // Writes the 36 text characters to out[0..36).
  void format_to(char* out) const;

  bool is_nil() const;
  friend bool operator==(const uuid&, const uuid&) = default;
  friend std::strong_ordering operator<=>(const uuid&, const uuid&) = default;
};

struct uuid_hash {
  std::size_t operator()(const uuid& u) const noexcept;
};

}  // namespace binrelay::gtid

template <>
struct std::hash<binrelay::gtid::uuid> : binrelay::gtid::uuid_hash {};
