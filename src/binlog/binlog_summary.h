#pragma once
// binlog_summary: what one binlog file holds, without printing its events: event counts and
// bytes per type, the number of transactions, and (on request) the GTIDs — the set the file
// starts from (Previous_gtids / Gtid_list) and the set of the transactions it contains.
// Used by `binrelay-inspect --stats/--gtids` and by tests that compare two binlogs.

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "common/result.h"
#include "gtid/gtid_set.h"
#include "gtid/mariadb_gtid.h"

namespace binrelay::binlog {

struct summary_options {
  bool verify_checksums = true;
  // Decode GTID events (slower: reads every body); otherwise headers only.
  bool gtids = false;
  // Keep going after a bad checksum; the errors are collected in summary::errors.
  bool continue_after_errors = false;
};

struct type_stats {
  std::uint64_t count = 0;
  std::uint64_t bytes = 0;
};

struct binlog_summary {
  std::string file;
  std::uint64_t file_size = 0;
  std::string server_version;
  bool mariadb = false;
  std::array<type_stats, 256> by_type{};
  std::uint64_t events = 0;
  std::uint64_t transactions = 0;  // GTID / Anonymous_GTID / MariaDB GTID events
  // With summary_options::gtids:
  gtid::gtid_set previous_gtids;                  // MySQL: Previous_gtids
  gtid::gtid_set contained_gtids;                 // MySQL: GTIDs of the file's transactions
  gtid::mariadb_gtid_position previous_position;  // MariaDB: Gtid_list
  gtid::mariadb_gtid_position last_position;      // MariaDB: last GTID per domain
  std::uint64_t anonymous_transactions = 0;
  std::vector<error> errors;
};

result<binlog_summary> summarize_binlog_file(const std::filesystem::path& path,
                                             const summary_options& options);

// "Type  count  bytes" lines, then totals.
void append_stats(const binlog_summary& s, std::string& out);
// "previous_gtids: ...", "gtids: ..." (MySQL) or "gtid_list: ...", "last: ..." (MariaDB).
void append_gtid_summary(const binlog_summary& s, std::string& out);

}  // namespace binrelay::binlog
