#pragma once
// Crash recovery of a relay log directory, run by relay_store::open() before anything is
// appended. docs/relay-store.md, "Recovery". It
//   1. reconciles the index with the directory: a file listed but missing is dropped when it
//      is at either end of the list (an interrupted purge or rotation; a gap in the middle is
//      an error); a file present but not listed is adopted when it comes after the listed
//      ones and has a readable header (a crash between creating it and updating the index),
//      deleted otherwise (header torn, or older than the listed files: an interrupted purge);
//   2. drops a last file whose header events are incomplete (it holds no transaction);
//   3. scans the last file and truncates everything after the end of its last complete
//      transaction: a partial transaction, a torn event, an event failing its CRC32, or the
//      closing ROTATE of a rotation that did not finish;
//   4. rebuilds the retrieved GTIDs from the last file's PREVIOUS_GTIDS / GTID_LIST plus its
//      transactions.
// Every action is logged as one line an operator can act on and returned in `actions`.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "binlog/format_description.h"
#include "common/result.h"
#include "relay/relay_store_types.h"

namespace binrelay::relay {

struct recovery_result {
  std::vector<file_info> files;  // index order; the last is the one to append to
  std::vector<std::string> names;
  std::optional<binlog::format_description> last_format;  // FDE of the last file
  gtid_state retrieved;                                   // `initial` when there is no file
  // sequence_number of the last complete transaction of the last file (MySQL, 0 if none).
  std::uint64_t last_sequence_number = 0;
  // Header timestamp of the last event of the last complete transaction of the last file.
  std::uint32_t last_timestamp = 0;
  std::vector<std::string> actions;
};

// REQUIRES: `dir` exists. `initial` is the retrieved state of a store without files.
result<recovery_result> recover_store(const std::filesystem::path& dir, std::string_view basename,
                                      const gtid_state& initial);

// The scan of step 3 for one file, without truncating: where its last complete transaction
// ends and what it contains. Used by recovery and by tests.
struct file_scan {
  std::uint64_t committed_end = 0;
  std::uint64_t file_size = 0;
  gtid_state after;  // header's `before` plus the complete transactions' GTIDs
  std::uint64_t last_sequence_number = 0;
  std::uint64_t transactions = 0;
  std::uint32_t last_timestamp = 0;  // of the last complete transaction's last event
  std::string tail_reason;           // why bytes after committed_end are not kept ("" if none)
};
result<file_scan> scan_relay_file(const std::filesystem::path& path);

}  // namespace binrelay::relay
