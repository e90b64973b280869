#pragma once
// Base64 (RFC 4648, standard alphabet, '=' padding, no line breaks), as the BINLOG statement
// of MySQL and MariaDB takes binlog events. Thread-safe; no state besides a constant table.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "common/bytes.h"

namespace binrelay {

// Characters base64_append() adds for `size` bytes.
constexpr std::size_t base64_length(std::size_t size) {
  return (size + 2) / 3 * 4;
}

// Appends the encoding of `data` to `out`.
void base64_append(bytes_view data, std::string& out);

// Decodes `text` (padding required, no whitespace); nullopt when it is not base64.
std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text);

}  // namespace binrelay
