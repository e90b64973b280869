#pragma once
// CRC-32 (ISO-HDLC, the zlib polynomial 0x04C11DB7, reflected, init and final xor 0xFFFFFFFF),
// the checksum MySQL and MariaDB append to binlog events when binlog_checksum=CRC32. Results
// are identical to zlib's crc32(). On x86-64 CPUs with PCLMULQDQ and SSE4.1 (checked at run
// time) buffers of 64 bytes and more are folded with carry-less multiplication; everything
// else uses slicing-by-8 tables. Thread-safe; no global state besides constant tables.

#include <cstdint>

#include "common/bytes.h"

namespace binrelay {

std::uint32_t crc32(bytes_view data);
// Continues a CRC over more data: crc32_update(crc32(a), b) == crc32(a ++ b).
std::uint32_t crc32_update(std::uint32_t crc, bytes_view data);

// The portable slicing-by-8 path alone (what crc32_update runs on CPUs without PCLMULQDQ);
// exposed so tests can check it on any machine.
std::uint32_t crc32_update_portable(std::uint32_t crc, bytes_view data);

// True when crc32_update uses the PCLMULQDQ folding path on this CPU.
bool crc32_uses_pclmul();

}  // namespace binrelay
