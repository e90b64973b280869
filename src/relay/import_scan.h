#pragma once
// import_scan: reads one existing binlog file (MySQL 5.6+ or MariaDB 10.0+) end to end before
// binrelay-import copies it into a relay store (store_import.h, docs/import.md). Every event is
// framed and its CRC32 verified; transactions are delimited with the relay store's rules
// (transaction_boundary.h) and their GTIDs collected, so the import can check that the files
// follow each other and that the store's per-file GTID index will be right.
//
// A file is refused (errors name the file and the offset) when
//   - an event is torn (truncated), fails its CRC32 (checksum_mismatch), cannot be decoded, or
//     breaks the transaction rules (corrupt);
//   - it is encrypted, a v1/v3 binlog, or has no Format_desc (the file_reader's errors);
//   - its second event is not PREVIOUS_GTIDS / GTID_LIST (servers before MySQL 5.6 and
//     MariaDB 10.0): the store needs the GTIDs before every file (unsupported);
//   - a second Format_desc, or an event after a ROTATE or STOP: a relay log or a
//     concatenation, not one binlog (unsupported).
// A transaction still open at the end of the file is not an error here: it is reported in
// `open_transaction_at` and the caller decides.
//
// Sans-socket; reads the file with binlog::file_reader. Thread-compatible.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "binlog/format_description.h"
#include "common/result.h"
#include "relay/file_header.h"

namespace binrelay::relay {

struct closing_rotate {
  std::uint64_t offset = 0;  // of the ROTATE event, the file's last event
  std::uint64_t size = 0;    // of the whole event
  std::string next_file;     // the name it rotates to
};

struct import_scan {
  std::filesystem::path path;
  std::string name;  // file name without directory
  binlog::format_description fde;
  std::uint32_t server_id = 0;      // of the Format_desc
  bool in_use = false;              // the Format_desc has LOG_EVENT_BINLOG_IN_USE_F set
  gtid_state before;                // PREVIOUS_GTIDS / GTID_LIST
  gtid_state after;                 // `before` plus the GTIDs of the complete transactions
  std::uint64_t header_end = 0;     // offset after the Format_desc and the GTIDs event
  std::uint64_t committed_end = 0;  // after the last complete transaction (header_end if none)
  std::uint64_t size = 0;           // of the file
  std::uint64_t transactions = 0;   // complete ones
  // Where a transaction begins that the file does not complete.
  std::optional<std::uint64_t> open_transaction_at;
  std::optional<closing_rotate> rotate;  // the file ends with a ROTATE
  bool stopped = false;                  // the file ends with a STOP
};

// Scans `path` as described above.
result<import_scan> scan_for_import(const std::filesystem::path& path);

}  // namespace binrelay::relay
