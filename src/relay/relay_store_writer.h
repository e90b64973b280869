#pragma once
// relay_store_writer: the state and logic behind relay_store's writer methods (internal to
// relay_store; see relay_store.h for the contract). Not thread-safe: relay_store calls it
// with its writer mutex held.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "binlog/event_header.h"
#include "binlog/file_writer.h"
#include "binlog/format_description.h"
#include "binlog/transaction_boundary.h"
#include "binlog/transaction_gtid.h"
#include "relay/logical_clock_rewriter.h"
#include "relay/relay_store.h"
#include "relay/store_recovery.h"

namespace binrelay::relay {

class relay_store_writer {
 public:
  relay_store_writer(const store_options& options, recovery_result recovered);
  // Opens the last recovered file for appending.
  result<void> start();

  result<void> append(bytes_view raw_event);
  result<void> discard_partial_transaction();
  // After a failed write (io_error): drops the bytes not handed to the OS and rebuilds the
  // state from what the current file holds, as recovery does (cut after its last complete
  // transaction), so a retry starts clean and nothing published is lost.
  result<void> rewind_after_io_error();
  // rotate() of relay_store: now, or at the end of the open transaction.
  result<void> request_rotation();
  // Hands buffered bytes to the OS and, when `sync` or the policy says so, fdatasyncs.
  result<void> flush(bool sync);
  // fdatasync if anything was written since the last one (interval policy's task).
  result<void> sync_if_dirty();
  // Deletes the first `n` files (never the current one). Returns how many.
  result<std::size_t> purge_first(std::size_t n);
  result<std::size_t> apply_retention();
  void set_retention(const retention_limits& limits) { options_.retention = limits; }

  // The current file's fdatasync failed (file_writer::sync_failed).
  bool sync_failed() const { return file_ && file_->sync_failed(); }
  // True when complete transactions or upstream positions are not yet published.
  bool has_unpublished() const { return unpublished_; }
  // Copies the state readers see into `s` (the file list only when it changed).
  void fill_snapshot(store_snapshot& s);
  const std::vector<file_info>& files() const { return files_; }

 private:
  result<void> on_first_rotate(const binlog::event_header& h, bytes_view raw);
  result<void> on_format_description(const binlog::event_header& h, bytes_view raw);
  result<void> on_control(const binlog::event_header& h, bytes_view body);
  result<void> begin_transaction();
  result<void> write_event(const binlog::event_header& h, bytes_view raw, bytes_view body);
  void end_transaction(const binlog::event_header& h);
  result<void> rotate_now();
  result<void> close_current_file();
  result<void> create_next_file();
  std::uint32_t now_unix() const;
  binlog::file_writer_options file_options() const;
  error at_current(error e) const;

  store_options options_;
  std::vector<std::string> names_;  // the index, mirrored
  std::vector<file_info> files_;
  std::uint64_t next_number_ = 1;

  std::optional<binlog::file_writer> file_;
  binlog::format_description file_format_;      // the current file's FDE
  binlog::format_description upstream_format_;  // the upstream's current FDE
  bool have_upstream_format_ = false;
  bool rotation_pending_ = false;    // at the next transaction (the upstream FDE changed)
  bool rotation_requested_ = false;  // at the end of the open transaction (rotate())
  bool files_changed_ = true;

  binlog::transaction_boundary boundary_;
  logical_clock_rewriter clock_;
  logical_clock_rewriter clock_at_begin_;
  std::optional<binlog::transaction_gtid> trx_gtid_;
  std::uint64_t trx_begin_ = 0;      // offset of the open transaction's first event
  std::uint64_t committed_end_ = 0;  // end of the last complete transaction in file_
  gtid_state retrieved_;
  upstream_position upstream_;
  std::uint32_t last_timestamp_ = 0;
  std::uint32_t end_event_timestamp_ = 0;  // store_snapshot::end_timestamp
  bool dirty_ = false;                     // written since the last fdatasync
  bool unpublished_ = false;               // changed since the last snapshot
  bool committed_since_sync_ = false;
};

}  // namespace binrelay::relay
