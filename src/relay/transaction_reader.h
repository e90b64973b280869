#pragma once
// transaction_reader: tails the relay store's files and returns complete transactions in
// relay order, starting at a given position (an event start, normally a transaction
// boundary). It never reads past the store's published end position in the current file, so
// it never sees an incomplete transaction, and it follows rotations into the next file.
//
// The scheduling facts come from each transaction's events: the MySQL logical clock or the
// MariaDB commit_id and flags of its GTID event, and `exclusive` for DDL, standalone or
// non-transactional MariaDB groups and for any statement (QUERY other than BEGIN/COMMIT).
//
// Not thread-safe; the store must outlive the reader (the store's reader side is thread-safe).

#include <memory>
#include <optional>

#include "binlog/file_reader.h"
#include "binlog/log_position.h"
#include "binlog/transaction.h"
#include "binlog/transaction_boundary.h"
#include "common/result.h"
#include "relay/relay_store.h"

namespace binrelay::relay {

class transaction_reader {
 public:
  // `start.file` empty: the oldest file's first transaction.
  transaction_reader(const relay_store& store, binlog::log_position start);

  // The next complete transaction, or nullopt when the reader has caught up with the store
  // (call again later). Errors: not_found (the start file was purged), the file reader's,
  // corrupt (events that cannot follow each other, a file that ends inside a transaction).
  result<std::optional<binlog::transaction>> next();

  // Where the next transaction starts.
  const binlog::log_position& position() const { return position_; }

 private:
  result<bool> open_file();
  result<bool> advance_file();
  result<std::optional<binlog::raw_event>> next_event();
  void begin_transaction(const binlog::raw_event& ev);
  result<void> note_gtid(const binlog::raw_event& ev, bytes_view body);
  result<void> note_mariadb_gtid(const binlog::raw_event& ev, bytes_view body);
  void set_format(const binlog::raw_event& fde_event, const binlog::format_description& fde);

  const relay_store& store_;
  binlog::log_position position_;
  std::uint64_t file_number_ = 0;
  std::optional<binlog::file_reader> file_;
  std::shared_ptr<const binlog::format_description> format_;
  std::shared_ptr<const std::vector<std::uint8_t>> format_event_;
  binlog::transaction_boundary boundary_;
  binlog::transaction current_;
  bool first_in_file_ = true;
};

}  // namespace binrelay::relay
