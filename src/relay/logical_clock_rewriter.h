#pragma once
// logical_clock_rewriter: renumbers MySQL LOGICAL_CLOCK timestamps (last_committed,
// sequence_number of GTID events) for the relay store's own files.
//
// MySQL numbers transactions per binlog file: the first transaction of a file has
// sequence_number 1 and last_committed 0 ("parent unknown: wait for everything before").
// The relay store's files do not follow the upstream's files (it rotates on its own size and
// concatenates upstream files), so the upstream numbers are wrong in them: an upstream
// rotation in the middle of our file would restart the numbers (a downstream applier fails
// with ER_MTA_CANT_PARALLEL), and our rotation in the middle of an upstream file would
// start our file at sequence_number 5000. The rule (docs/relay-store.md, "Logical clock"):
//
//   1. Every transaction gets the next number of one stream-wide counter: stream_seq.
//   2. A run is a stretch of transactions whose upstream sequence numbers are consecutive
//      within one upstream file. A new run starts at an upstream file change (ROTATE/FDE),
//      a reconnect, or a gap in upstream sequence numbers. Within a run, upstream numbers
//      map by a constant offset: stream_lc = lc + (stream_seq - seq). A parent before the
//      run's first transaction (including lc = 0) becomes "everything before the run":
//      stream_lc = run_start - 1. This only ever adds dependencies, never drops one.
//   3. Our file starts at counter value `file_base`: seq' = stream_seq - file_base,
//      lc' = stream_lc - file_base, or 0 when the parent lies before our file.
//
// Sans-I/O, not thread-safe (owned by the store's writer).

#include <cstdint>

#include "binlog/transaction_gtid.h"

namespace binrelay::relay {

using binlog::logical_clock;

class logical_clock_rewriter {
 public:
  // The next transaction's upstream numbers are unrelated to earlier ones (the upstream
  // switched files, or the connection was re-established).
  void start_upstream_run() { new_run_ = true; }
  // Our next transaction is the first of a new file of ours.
  void start_file() { file_base_ = counter_; }
  // After recovery: our current file already holds transactions numbered up to
  // `last_sequence_number`; the next transaction starts a new run.
  void resume_file(std::uint64_t last_sequence_number);

  // Maps one transaction's upstream (last_committed, sequence_number) to ours.
  logical_clock map(logical_clock upstream);

 private:
  std::uint64_t counter_ = 0;             // stream_seq of the last mapped transaction
  std::uint64_t file_base_ = 0;           // counter_ before our file's first transaction
  std::uint64_t run_start_ = 0;           // stream_seq of the current run's first transaction
  std::uint64_t run_first_upstream_ = 0;  // its upstream sequence_number
  std::uint64_t last_upstream_ = 0;       // upstream sequence_number of the last one
  bool new_run_ = true;
};

}  // namespace binrelay::relay
