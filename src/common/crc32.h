#pragma once
// CRC-32 (ISO-HDLC, the zlib polynomial), the checksum MySQL and MariaDB append to binlog
// events when binlog_checksum=CRC32. Computed with zlib's table-driven implementation.

#include <cstdint>

#include "common/bytes.h"

namespace binrelay {

std::uint32_t crc32(bytes_view data);
// Continues a CRC over more data: crc32_update(crc32(a), b) == crc32(a ++ b).
std::uint32_t crc32_update(std::uint32_t crc, bytes_view data);

}  // namespace binrelay
