#pragma once
// Values the relay store hands to readers: positions and per-file information.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "binlog/log_position.h"
#include "relay/file_header.h"

namespace binrelay::relay {

using binlog::log_position;

// Where the upstream's stream is: its binlog file name and the end position of the last event
// the store processed (from ROTATE, HEARTBEAT and event headers' log_pos).
struct upstream_position {
  std::string file;
  std::uint64_t position = 0;
  friend bool operator==(const upstream_position&, const upstream_position&) = default;
};

// One relay log file, for SHOW BINARY LOGS, PURGE and for finding where to start serving a
// GTID set: `before` holds the GTIDs of every earlier file (its PREVIOUS_GTIDS / GTID_LIST).
struct file_info {
  std::string name;
  std::uint64_t number = 0;  // the NNNNNN of the name
  std::uint64_t size = 0;    // bytes readers may read: for the current file, up to the
                             // end of its last complete transaction
  gtid_state before;
  std::int64_t created_unix = 0;     // the FDE's timestamp
  std::int64_t last_write_unix = 0;  // last complete transaction written (or file mtime)
};

// Bytes of one relay log file that must not be served: [from, end of file).
struct damaged_range {
  std::string file;
  std::uint64_t from = 0;          // first byte not served (a transaction or event start)
  std::uint64_t event_offset = 0;  // the first bad event (or byte) found
  std::string what;                // the problem, in words an operator understands
  friend bool operator==(const damaged_range&, const damaged_range&) = default;
};

// A GTID found a second time.
struct duplicate_gtid {
  std::string gtid;  // "uuid:n" or "d-s-n"
  std::string file;  // where the second occurrence is
  std::uint64_t offset = 0;
  friend bool operator==(const duplicate_gtid&, const duplicate_gtid&) = default;
};

// What verification (store_verify.h) found when the store was opened.
struct store_verification {
  std::vector<damaged_range> damaged;        // at most one per file, in file order
  std::vector<std::string> gtid_mismatches;  // header sets that disagree with the content
  std::optional<duplicate_gtid> first_duplicate;
  std::uint64_t duplicate_gtids = 0;
  std::uint64_t files = 0;
  std::uint64_t bytes = 0;
  std::uint64_t elapsed_ms = 0;
};

// What readers see: the state after the last published complete transaction.
struct store_snapshot {
  log_position end;
  gtid_state retrieved;
  std::vector<file_info> files;
  upstream_position upstream;
  // Header timestamp of the last event of the last complete transaction (what replicas' lag
  // is measured against); 0: unknown (no transaction yet, or none in the last file at open).
  std::uint32_t end_timestamp = 0;
  store_verification verification;  // set once at open
};

}  // namespace binrelay::relay
