#pragma once
// relay_transaction: one complete transaction read from the relay log, owning copies of its
// events, with what the scheduler and the workers need to know about it.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "applier/scheduler.h"
#include "binlog/format_description.h"
#include "binlog/transaction_gtid.h"

namespace binrelay::applier {

struct relay_transaction {
  // Whole events (header, body, checksum) back to back, in relay order.
  std::vector<std::uint8_t> events;
  // The FDE of the relay file the events came from (decoding context).
  std::shared_ptr<const binlog::format_description> format;
  // That FDE's whole event bytes (for BINLOG statements, binlog_replay.h).
  std::shared_ptr<const std::vector<std::uint8_t>> format_event;
  std::optional<binlog::transaction_gtid> gtid;  // none for anonymous transactions
  schedule_info schedule;
  std::string file;               // relay log file name
  std::uint64_t file_number = 0;  // its NNNNNN
  std::uint64_t start_offset = 0;
  std::uint64_t end_offset = 0;  // end of the last event (end_log_pos)
  bool has_begin = false;        // BEGIN ... COMMIT (else one autocommitted statement)
  std::uint32_t timestamp = 0;   // header timestamp of its first event (source time)
  bool skip = false;             // apply as an empty transaction (operator's skip)
  // Its events can be applied as BINLOG statements (binlog_replay.h); set by the applier.
  bool replayable = false;

  // "0-1-42", "uuid:42" or "ANONYMOUS".
  std::string gtid_text() const;
};

}  // namespace binrelay::applier
