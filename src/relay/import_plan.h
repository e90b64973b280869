#pragma once
// import_plan: what binrelay-import will write, decided from the scans of its input files
// (import_scan.h) and the store already in the directory, before anything is written.
// Sans-I/O. The rules (docs/import.md):
//
//   - Inputs form one log, in order: every file but the last ends with a complete
//     transaction; a file's closing ROTATE names the next input; the next input's
//     PREVIOUS_GTIDS / GTID_LIST equals the GTIDs before the file plus its transactions
//     (MariaDB: per domain seq_no). Same flavour throughout.
//   - A non-empty store is only continued: same flavour, and the first input starts at the
//     store's retrieved GTIDs. A last store file with header events only is replaced by the
//     first input, which takes its name (so a ROTATE naming it stays right).
//   - Names: `<basename>.<number>`. The basename is the one asked for, else the existing
//     store's, else the inputs' common one when all are named `<base>.<digits>`, else
//     "relay-bin". Input numbers are kept when they increase and come after the store's last
//     file; otherwise files are numbered on from it.
//   - Bytes are copied unchanged except: the Format_desc's LOG_EVENT_BINLOG_IN_USE_F is
//     cleared (its CRC32 is computed without it); a closing ROTATE naming a file that is not
//     the next one in the store is rewritten to name it; an unfinished transaction at the end
//     of the last input is left out.
//   - When the last input ends with anything after its last complete transaction (ROTATE,
//     STOP, MariaDB BINLOG_CHECKPOINT ...), the store continues in a new file holding only
//     header events, as a server does after a rotation or a restart, so that the imported
//     file stays whole (the store only appends after a complete transaction).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "relay/import_scan.h"
#include "relay/relay_store_types.h"

namespace binrelay::relay {

// The relay log already in the target directory.
struct existing_store {
  std::string basename;          // "" when the directory holds none
  std::vector<file_info> files;  // index order
  gtid_state retrieved;
  // The last file holds only header events (a continuation file of an earlier import, or a
  // store that rotated and got nothing more): the first input takes its place and name.
  bool last_empty = false;
};

struct planned_file {
  std::size_t input = 0;                 // index into the scans
  std::string name;                      // in the store
  std::uint64_t copy_end = 0;            // bytes of the input copied (before a rewritten ROTATE)
  std::optional<std::string> rotate_to;  // rewrite the closing ROTATE to name this file
  std::vector<std::string> changes;      // how the stored file differs from the input
};

struct import_plan {
  std::string basename;
  std::vector<planned_file> files;
  std::optional<std::string> continuation;  // header-only file the store continues in
  std::optional<std::string> replaced;      // the store's empty last file, dropped
  gtid_state end;                           // the store's retrieved GTIDs afterwards
};

// REQUIRES: `scans` non-empty, in the order given on the command line. Errors:
// invalid_argument (inputs that do not form one log or do not continue the store, a bad
// basename), corrupt (a file other than the last ends inside a transaction).
result<import_plan> plan_import(const std::vector<import_scan>& scans, const existing_store& store,
                                std::string_view basename);

// True when a log that ended at `end` is continued by a file starting at `start`.
bool gtids_continue(const gtid_state& end, const gtid_state& start);

}  // namespace binrelay::relay
