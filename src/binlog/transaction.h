#pragma once
// transaction: one complete transaction read from a binlog (a relay log file), owning copies
// of its events, with what its events say about where it came from and what it depends on.
// Produced by a reader that classifies events with transaction_boundary.h; consumed by the
// applier (whose scheduler reads `schedule`).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "binlog/format_description.h"
#include "binlog/transaction_gtid.h"

namespace binrelay::binlog {

// What the primary said about a transaction's dependencies (docs/applier.md, "Scheduling").
struct schedule_info {
  bool new_file = false;   // first transaction read from a binlog file
  bool exclusive = false;  // must run alone (DDL, statement-based, non-transactional)
  // MySQL: the logical clock of its GTID event, numbered within its file.
  std::optional<std::uint64_t> last_committed;
  std::optional<std::uint64_t> sequence_number;
  // MariaDB: the group commit id (FL_GROUP_COMMIT_ID) and the GTID domain.
  std::optional<std::uint64_t> commit_id;
  std::uint32_t domain_id = 0;
  // MariaDB FL_WAITED: it waited for a row lock on the primary (likely to conflict).
  bool waited = false;

  bool has_dependency_info() const {
    return (last_committed && sequence_number && *last_committed < *sequence_number) ||
           commit_id.has_value();
  }
};

struct transaction {
  // Whole events (header, body, checksum) back to back, in log order.
  std::vector<std::uint8_t> events;
  // The FDE of the file the events came from (decoding context).
  std::shared_ptr<const format_description> format;
  // That FDE's whole event bytes (for BINLOG statements).
  std::shared_ptr<const std::vector<std::uint8_t>> format_event;
  std::optional<transaction_gtid> gtid;  // none for anonymous transactions
  schedule_info schedule;
  std::string file;               // binlog file name
  std::uint64_t file_number = 0;  // its NNNNNN
  std::uint64_t start_offset = 0;
  std::uint64_t end_offset = 0;  // end of the last event (end_log_pos)
  bool has_begin = false;        // BEGIN ... COMMIT (else one autocommitted statement)
  std::uint32_t timestamp = 0;   // header timestamp of its first event (source time)

  // "0-1-42", "uuid:42", "uuid:tag:42" or "ANONYMOUS".
  std::string gtid_text() const;
};

}  // namespace binrelay::binlog
