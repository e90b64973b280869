#pragma once
// Verification of every relay log file, run by relay_store::open() after crash recovery
// (store_recovery.h) and before anything is served. docs/relay-store.md, "Verification".
//
// For each file, oldest first, it reads every event (binlog::file_reader) and checks:
//   - the header events (FDE, PREVIOUS_GTIDS / GTID_LIST) decode;
//   - event sizes chain from offset 4 to the end of the file (no torn event, no event
//     crossing the end), the CRC32 of every event when the FDE says CRC32;
//   - transactions are whole and well formed (transaction_boundary.h); a closed file ends
//     with its ROTATE, after a complete transaction;
//   - a file's PREVIOUS_GTIDS / GTID_LIST equals the previous file's plus its transactions;
//   - no GTID is stored twice (in two files, or twice in one).
// Recovery already cut the last file after its last complete transaction, so damage found
// here is in bytes a previous run wrote and synced: it is reported, never repaired. The first
// problem of a file ends what may be served of it (`damaged_range::from`): the start of the
// transaction holding the bad event, so a replica never gets half of one.
//
// Cost: one sequential read of the store plus a CRC32 of every byte (hardware CRC32); see
// docs/relay-store.md for the measured rate. Not thread-safe; pure function of the files.

#include <filesystem>
#include <string>
#include <vector>

#include "relay/relay_store_types.h"

namespace binrelay::relay {

// Verifies `files` (index order; every one but the last is closed) in `dir`. A file that
// vanished meanwhile is skipped. Logs nothing: relay_store logs the result once.
store_verification verify_store_files(const std::filesystem::path& dir,
                                      const std::vector<file_info>& files);

// One log line per damaged range, GTID set mismatch (the first 10) and for the duplicates, and
// an info line with what was checked and how long it took.
void log_verification(const store_verification& v);

// The text a replica gets (ERR 1236) when its dump reaches a damaged range.
std::string damaged_range_message(const damaged_range& d);

}  // namespace binrelay::relay
