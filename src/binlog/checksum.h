#pragma once
// The CRC32 checksum at the end of binlog events (binlog_checksum=CRC32): zlib's CRC-32 of
// every byte of the event before it, header included. Layout: docs/formats.md, "Checksums".
//
// One quirk: a server sets LOG_EVENT_BINLOG_IN_USE_F (0x1) in the FORMAT_DESCRIPTION event's
// flags while the file is open, but computes that event's CRC with the flag cleared. A file
// copied from a running server therefore has a valid FDE whose CRC only matches with the flag
// cleared; every function here checksums the FDE that way.

#include <cstdint>
#include <optional>
#include <vector>

#include "binlog/format_description.h"
#include "common/bytes.h"
#include "common/result.h"

namespace binrelay::binlog {

// CRC32 of `event_without_crc` (header + body), with the FDE in-use flag cleared for FDEs.
// REQUIRES: event_without_crc.size() >= event_header_size.
std::uint32_t compute_event_crc32(bytes_view event_without_crc);

// Checks the trailing checksum of a whole event (header + body + checksum) when `alg` is
// crc32; success for any other algorithm. Errors: truncated (shorter than header + 4 bytes),
// checksum_mismatch naming the event type, its log_pos, the stored and computed CRC and, when
// given, the event's offset in its file.
result<void> verify_event_checksum(bytes_view raw_event, checksum_alg alg,
                                   std::optional<std::uint64_t> file_offset = std::nullopt);

// For encoders: `event` holds a header (event_size may be anything) and the body. Sets
// event_size to the final size and, for crc32, appends the CRC. log_pos must already be set.
// REQUIRES: event.size() >= event_header_size.
void finalize_event(std::vector<std::uint8_t>& event, checksum_alg alg);

}  // namespace binrelay::binlog
