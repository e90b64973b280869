#include "binlog/mariadb_compression.h"

#include <zlib.h>

namespace binrelay::binlog {

result<std::vector<std::uint8_t>> mariadb_uncompress(bytes_view payload) {
  if (payload.empty()) return make_error(errc::truncated, "compressed payload is empty");
  std::uint8_t header = payload[0];
  std::size_t len_bytes = header & 0x07;
  if ((header & 0x70) != 0 || len_bytes == 0 || len_bytes > 4)
    return make_error(errc::corrupt, "compressed payload header 0x{:02x} is not zlib", header);
  if (payload.size() < 1 + len_bytes)
    return make_error(errc::truncated, "compressed payload length field truncated");
  std::uint64_t declared = 0;
  for (std::size_t i = 0; i < len_bytes; ++i) declared = declared << 8 | payload[1 + i];
  bytes_view stream = payload.subspan(1 + len_bytes);
  // zlib cannot expand by more than ~1032:1; a larger claim is corrupt, not a huge allocation.
  if (declared > max_mariadb_uncompressed_bytes)
    return make_error(errc::too_large, "declared uncompressed size {} is too large", declared);
  if (declared > stream.size() * 1100 + 64)
    return make_error(errc::corrupt, "declared uncompressed size {} impossible for {} bytes",
                      declared, stream.size());
  std::vector<std::uint8_t> out(declared);
  uLongf out_len = uLongf(declared);
  int rc = ::uncompress(out.data(), &out_len, stream.data(), uLong(stream.size()));
  if (rc != Z_OK || out_len != declared)
    return make_error(errc::corrupt, "zlib inflate failed (rc {}, {} of {} bytes)", rc,
                      std::uint64_t(out_len), declared);
  return out;
}

}  // namespace binrelay::binlog
