#pragma once
// relay_log: what the applier needs of the relay log it applies, declared here by its
// consumer. binrelayd implements it over its relay store (daemon/relay_log_source.h); unit
// tests script it. The applier includes nothing of the store (docs/architecture.md).
//
//   open(position)   a cursor at an event start (normally a transaction boundary); an empty
//                    file name means the oldest file's first transaction
//   cursor.next()    the next whole transaction in relay order, nullopt when caught up
//   wait_for_more()  returns once the log may have grown past what a caught-up cursor saw
//
// Lost wake-ups: read generation() BEFORE the cursor reports that it caught up; then
// wait_for_more(seen) returns at once if the log grew in between.
//
// Threading: open() and generation() from any thread; a cursor belongs to one thread;
// wait_for_more() is awaited on the caller's executor and honours cancellation.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>

#include <boost/asio/awaitable.hpp>

#include "binlog/log_position.h"
#include "binlog/transaction.h"
#include "common/result.h"

namespace binrelay::applier {

class relay_log_cursor {
 public:
  virtual ~relay_log_cursor() = default;
  // The next complete transaction, or nullopt when the cursor has caught up with the log.
  // Errors: not_found (the file was purged), corrupt, io_error.
  virtual result<std::optional<binlog::transaction>> next() = 0;
  // Where the next transaction starts.
  virtual const binlog::log_position& position() const = 0;
};

class relay_log {
 public:
  virtual ~relay_log() = default;
  virtual std::unique_ptr<relay_log_cursor> open(const binlog::log_position& start) const = 0;
  // A counter that moves whenever the log grows.
  virtual std::uint64_t generation() const = 0;
  // Returns when generation() != seen, after `timeout`, or when cancelled.
  virtual boost::asio::awaitable<void> wait_for_more(std::uint64_t seen,
                                                     std::chrono::milliseconds timeout) const = 0;
};

}  // namespace binrelay::applier
