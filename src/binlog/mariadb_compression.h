#pragma once
// MariaDB's compressed binlog payloads (log_bin_compress=ON): QUERY_COMPRESSED (165) and the
// compressed rows events (166-171) store part of their body as
//   header u8 | uncompressed length (big-endian, header & 0x07 bytes) | zlib stream
// where header bits 4-6 name the algorithm (0 = zlib, the only one MariaDB writes).
// Layout: docs/rows.md, "MariaDB compressed rows".

#include <cstdint>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"

namespace binrelay::binlog {

// Upper bound on a declared uncompressed length; larger values are reported as too_large.
inline constexpr std::uint64_t max_mariadb_uncompressed_bytes = 1ull << 30;

// Inflates one compressed payload. Fails (corrupt) on a bad header, a zlib error or an
// uncompressed size different from the declared one.
result<std::vector<std::uint8_t>> mariadb_uncompress(bytes_view payload);

}  // namespace binrelay::binlog
