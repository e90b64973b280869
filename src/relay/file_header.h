#pragma once
// The first events of every relay log file the store writes, and reading them back:
//   magic | FORMAT_DESCRIPTION | PREVIOUS_GTIDS (MySQL) or GTID_LIST (MariaDB)
// and the ROTATE that closes a file when the store moves on to the next one.
// The FDE copies the upstream's (server version, post-header lengths, checksum algorithm)
// so mysqlbinlog / mariadb-binlog decode the files; it never has LOG_EVENT_BINLOG_IN_USE_F
// set (the store finds a file's end by scanning, not by that flag). docs/relay-store.md.
//
// Encoders for these few events are local to the relay store: the binlog module decodes
// them (format_description.h, previous_gtids_event.h, mariadb_events.h, control_events.h).

#include <cstdint>
#include <filesystem>
#include <string_view>
#include <vector>

#include "binlog/format_description.h"
#include "common/result.h"
#include "gtid/gtid_state.h"

namespace binrelay::relay {

using gtid::gtid_state;

struct header_params {
  std::uint32_t server_id = 0;
  std::uint32_t timestamp = 0;  // unix seconds written in the events' headers
};

// Bytes of a new file: magic, FDE (from `upstream`), PREVIOUS_GTIDS or GTID_LIST of `before`.
std::vector<std::uint8_t> encode_file_header(const binlog::format_description& upstream,
                                             const gtid_state& before, const header_params& p);

// A ROTATE event naming `next_file`, to be written at `offset` of the closing file.
std::vector<std::uint8_t> encode_rotate(std::string_view next_file, std::uint64_t offset,
                                        binlog::checksum_alg alg, const header_params& p);

// What the first events of a relay log file say.
struct file_header {
  binlog::format_description fde;
  gtid_state before;             // PREVIOUS_GTIDS / GTID_LIST
  std::uint32_t created = 0;     // the FDE's header timestamp
  std::uint64_t end_offset = 0;  // offset after the header events
};

// Reads and decodes a file's header events. Errors: those of file_reader (truncated for a
// file that ends inside them), corrupt when the second event is neither PREVIOUS_GTIDS nor
// GTID_LIST.
result<file_header> read_file_header(const std::filesystem::path& path);

// True if the two FDEs describe the same event format (version, post-headers, checksum).
bool same_format(const binlog::format_description& a, const binlog::format_description& b);

}  // namespace binrelay::relay
