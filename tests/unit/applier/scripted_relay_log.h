#pragma once
// Test helper: an in-memory relay log (applier/relay_log.h) the test appends transactions to,
// while the applier runs. A cursor opened at a position starts at the first transaction that
// begins there or after it (an empty file name: the first transaction). Appending moves the
// generation and wakes every wait_for_more() at once. A test may make a cursor throw, to
// inject an exception into the applier.
//
// Threading: one thread, the one running the io_context the applier runs on.

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/steady_timer.hpp>

#include "applier/relay_log.h"

namespace binrelay::test {

class scripted_relay_log : public applier::relay_log {
 public:
  void append(std::vector<binlog::transaction> txns);
  // The next cursor next() call that would return transaction `index` throws instead (once).
  void throw_at(std::size_t index) { throw_at_ = index; }

  std::unique_ptr<applier::relay_log_cursor> open(const binlog::log_position& start) const override;
  std::uint64_t generation() const override { return generation_; }
  boost::asio::awaitable<void> wait_for_more(std::uint64_t seen,
                                             std::chrono::milliseconds timeout) const override;

  const std::deque<binlog::transaction>& transactions() const { return txns_; }
  std::size_t opened() const { return opened_; }  // cursors opened so far
  const binlog::log_position& last_opened_at() const { return last_opened_at_; }
  std::size_t waiting() const { return waiters_.size(); }  // wait_for_more() calls pending

 private:
  class cursor;
  std::deque<binlog::transaction> txns_;
  std::uint64_t generation_ = 0;
  mutable std::optional<std::size_t> throw_at_;
  mutable std::size_t opened_ = 0;
  mutable binlog::log_position last_opened_at_;
  mutable std::vector<boost::asio::steady_timer*> waiters_;
};

}  // namespace binrelay::test
