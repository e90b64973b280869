#include "common/crc32.h"

#include <zlib.h>

namespace binrelay {

std::uint32_t crc32_update(std::uint32_t crc, bytes_view data) {
  // zlib's length argument is uInt; feed very large inputs in slices.
  const std::uint8_t* p = data.data();
  std::size_t n = data.size();
  uLong c = crc;
  while (n > 0) {
    uInt chunk = n > (1u << 30) ? (1u << 30) : uInt(n);
    c = ::crc32(c, p, chunk);
    p += chunk;
    n -= chunk;
  }
  return std::uint32_t(c);
}

std::uint32_t crc32(bytes_view data) { return crc32_update(0, data); }

}  // namespace binrelay
