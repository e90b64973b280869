#pragma once
// relay_store: the relay log of binrelay's fake replica and the binlog its replicas are served
// from. A directory of files `<basename>.000001 ...` plus `<basename>.index`; every file is a
// valid binlog (magic, FDE, PREVIOUS_GTIDS or GTID_LIST, transactions) that mysqlbinlog and
// mariadb-binlog read. Format and rules: docs/relay-store.md.
//
// Fed every event the upstream sends, in order (raw: header, body, checksum as received), it
//   - keeps data events, rewriting only each header's log_pos (to the end offset in OUR
//     file), MySQL GTID events' last_committed/sequence_number (logical_clock_rewriter.h),
//     and the CRC32 over those changes; bodies are otherwise byte-exact. The incoming CRC is
//     verified first, so corruption is never laundered into a fresh checksum;
//   - consumes ROTATE / FDE / PREVIOUS_GTIDS / GTID_LIST / HEARTBEAT / BINLOG_CHECKPOINT /
//     STOP: they update the upstream position and format; a changed upstream FDE makes the
//     next transaction start a new file, so every file has one FDE;
//   - rotates at transaction boundaries only: when the file reached max_file_size, on
//     rotate(), or on an FDE change. A rotated file ends with a ROTATE naming the next file.
//
// Threading contract:
//   - Writer methods (append, append_batch, discard_partial_transaction, flush, rotate,
//     purge_to, apply_retention) are serialised by an internal mutex: any thread may call
//     them, but they are meant for one writer (the upstream session); admin commands
//     (FLUSH / PURGE BINARY LOGS) may call rotate()/purge_to() from other threads.
//   - Reader methods (retrieved*, files, end_position, end_timestamp, upstream) are
//     thread-safe and cheap: they copy a snapshot published under a second mutex after every
//     batch of complete transactions. Readers then read the files themselves, never past
//     end_position() in its file (bytes after it may be an incomplete transaction).
//   - options.file_in_use and on_end_change callbacks run on a writer thread with the writer
//     mutex held: they must not call writer methods (reader methods are fine).

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "gtid/gtid_set.h"
#include "gtid/mariadb_gtid.h"
#include "relay/relay_store_types.h"
#include "relay/retention.h"
#include "relay/sync_policy.h"

namespace binrelay::relay {

struct store_options {
  std::filesystem::path directory;  // created if missing
  std::string basename = "relay-bin";
  std::uint64_t max_file_size = std::uint64_t(1) << 30;
  std::uint32_t server_id = 1;  // server_id of the events the store writes itself
  sync_policy sync;
  retention_limits retention;  // applied after every rotation and by apply_retention()
  file_in_use_fn file_in_use;  // asked before purging a file; may be empty
  // GTIDs before the first file, for a store that has no file yet (the position the upstream
  // session starts replicating after). The flavour follows the upstream's FDE.
  gtid_state initial;
};

class relay_store_writer;

class relay_store {
 public:
  // Creates the directory or recovers it (store_recovery.h). Errors: io_error, not_found
  // (a file missing from the middle of the index), corrupt.
  static result<std::unique_ptr<relay_store>> open(const store_options& options);
  // Makes complete transactions durable (best effort; call flush() to see errors).
  ~relay_store();
  relay_store(const relay_store&) = delete;
  relay_store& operator=(const relay_store&) = delete;

  // --- writer side -----------------------------------------------------------------------
  // Appends one event and publishes the transactions it completes.
  // Errors: corrupt (size mismatch, an event that cannot follow the open transaction —
  // call discard_partial_transaction()), checksum_mismatch, protocol_error (a data event
  // before any FDE), io_error (a failed write: call discard_partial_transaction(), which
  // rewinds to what the file holds). After an fdatasync failed (the interval policy's
  // background one, or any other), append, append_batch, flush and rotate return that
  // io_error (naming the file, the OS reason and errno) without writing: what was published
  // before stays, and reopening the store recovers what reached the disk (sync_policy.h).
  result<void> append(bytes_view raw_event);
  // Appends several events; transactions they complete are synced once and published
  // together (group commit). On error, events before the failing one are kept.
  result<void> append_batch(std::span<const bytes_view> raw_events);
  // Drops an incomplete trailing transaction from memory and disk (on disconnect). After a
  // write failed (io_error: ENOSPC, EIO), it also drops what was not handed to the OS and
  // resumes after the last complete transaction the current file holds (what recovery at
  // open() would keep), republishing that state: a retry then starts clean, and nothing a
  // reader was shown is lost.
  result<void> discard_partial_transaction();
  // Writes and fdatasyncs everything complete, whatever the sync policy.
  result<void> flush();
  // FLUSH BINARY LOGS: closes the current file and starts the next (at the end of an open
  // transaction if one is open). No-op before the first file exists.
  result<void> rotate();
  // PURGE BINARY LOGS TO 'file': deletes the files before `file` (not `file` itself), oldest
  // first, stopping at a file in use. Returns how many were deleted. not_found if unknown.
  result<std::size_t> purge_to(std::string_view file);
  // Purges by options.retention. Returns how many files were deleted.
  result<std::size_t> apply_retention();
  // Replaces the retention limits (a reload on SIGHUP) and purges by them at once. Returns
  // how many files were deleted. options() keeps the limits the store was opened with.
  result<std::size_t> set_retention(const retention_limits& limits);

  // --- reader side (thread-safe) ------------------------------------------------------------
  // GTIDs of the transactions fully written (plus options.initial).
  gtid_state retrieved() const;
  gtid::gtid_set retrieved_gtids() const;
  gtid::mariadb_gtid_position retrieved_position() const;
  // Files oldest first; the last one's size is end_position().offset.
  std::vector<file_info> files() const;
  // End of the last complete transaction ({"", 0} before the first file).
  log_position end_position() const;
  // store_snapshot::end_timestamp: the header timestamp of the newest stored event.
  std::uint32_t end_timestamp() const;
  upstream_position upstream() const;
  // What verification found at open (store_verify.h): damaged ranges, duplicate GTIDs.
  store_verification verification() const;
  // The range of `file` readers must not serve (from `from` to its end), if it is damaged.
  std::optional<damaged_range> damage_in(std::string_view file) const;
  // Called after every publication that moved the end position (see threading contract).
  // Set it before the writer starts.
  void set_on_end_change(std::function<void(const log_position&)> callback);

  const store_options& options() const { return options_; }

 private:
  explicit relay_store(const store_options& options);
  friend class relay_store_writer;

  // Publishes the writer's state to readers if it changed. REQUIRES: write_mu_ held.
  result<void> publish_locked();
  // Remembers an io_error: a failed write makes discard_partial_transaction() rewind, a failed
  // fdatasync is kept in sync_failure_. REQUIRES: write_mu_ held.
  void note_io_failure_locked(const result<void>& r);
  // The interval policy's task: fdatasync if dirty; a failure is kept in sync_failure_.
  // REQUIRES: write_mu_ held.
  void sync_in_background_locked();
  // sync_failure_, if any. REQUIRES: write_mu_ held.
  result<void> check_usable_locked() const;

  store_options options_;
  std::unique_ptr<relay_store_writer> writer_;
  std::mutex write_mu_;
  mutable std::mutex state_mu_;
  store_snapshot published_;
  std::function<void(const log_position&)> on_end_change_;
  bool io_failed_ = false;             // guarded by write_mu_: a write failed since the last rewind
  std::optional<error> sync_failure_;  // guarded by write_mu_
  std::unique_ptr<periodic_task> syncer_;
};

}  // namespace binrelay::relay
