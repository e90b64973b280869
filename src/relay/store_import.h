#pragma once
// store_import: builds (or continues) a relay store from existing binlog files, for
// binrelay-import and serve-only binrelayd ("a fake master from copied binlogs").
// docs/import.md.
//
// Each input file becomes one store file with the same bytes (import_plan.h lists the few
// changes), so every event keeps its offset, log_pos, CRC32 and logical clock, and the store's
// per-file GTID index comes from the files' own PREVIOUS_GTIDS / GTID_LIST. Steps:
//   1. scan every input (import_scan.h) — nothing is written if one is refused;
//   2. recover the store already in the directory, if any (store_recovery.h), and plan;
//   3. copy each file to a temporary name, fdatasync, rename it into place;
//   4. write the continuation file if the plan has one, then the index (atomically);
//   5. check the result as relay_store::open() will see it: the last file must need no
//      recovery and end at the planned GTIDs.
// A crash during step 3 or 4 leaves complete files the next open() adopts in order
// (recovery's "interrupted rotation" rule), never a partial file under a store name.
//
// Not safe to run while binrelayd has the same directory open. Thread-compatible.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/result.h"
#include "relay/file_header.h"
#include "relay/import_scan.h"

namespace binrelay::relay {

struct import_options {
  std::filesystem::path directory;            // created if missing
  std::string basename;                       // "" chooses one (import_plan.h)
  std::vector<std::filesystem::path> inputs;  // oldest first
};

struct imported_file {
  std::string source;  // the input's file name
  std::string name;    // the store file's
  std::uint64_t size = 0;
  std::uint64_t transactions = 0;
  gtid_state before;
  std::vector<std::string> changes;  // how the bytes differ from the input's
};

struct import_report {
  std::string basename;
  std::vector<imported_file> files;
  std::string continuation;  // "" when the store continues in the last imported file
  gtid_state retrieved;      // the store's GTIDs afterwards
  std::vector<std::string> recovery_actions;  // on the store found in the directory
};

// Errors: those of scan_for_import and plan_import (file and offset named), io_error, and
// corrupt when the written store would not reopen as planned.
result<import_report> import_binlogs(const import_options& options);

// The two halves of import_binlogs(), for a caller that must lock the store's directory
// (data_dir_lock.h) only once the inputs proved good, so a refused input creates nothing:
// scan_inputs() reads the inputs alone; import_scanned() then plans against the store and
// writes. REQUIRES for import_scanned: the caller holds the directory.
result<std::vector<import_scan>> scan_inputs(const std::vector<std::filesystem::path>& inputs);
result<import_report> import_scanned(const import_options& options,
                                     const std::vector<import_scan>& scans);

}  // namespace binrelay::relay
