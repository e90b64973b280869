#pragma once
// relay_log_source: the applier's view of the relay log (applier/relay_log.h) over binrelayd's
// relay store: cursors are relay::transaction_reader, and growth is the store's end signal
// (relay::log_end_signal, notified by the store after every publication).
//
// Threading: as applier::relay_log. The store and the signal must outlive it.

#include "applier/relay_log.h"
#include "relay/log_end_signal.h"
#include "relay/relay_store.h"

namespace binrelay::daemon {

class relay_log_source final : public applier::relay_log {
 public:
  relay_log_source(const relay::relay_store& store, relay::log_end_signal& end_signal)
      : store_(store), end_signal_(end_signal) {}

  std::unique_ptr<applier::relay_log_cursor> open(const binlog::log_position& start) const override;
  std::uint64_t generation() const override { return end_signal_.generation(); }
  boost::asio::awaitable<void> wait_for_more(std::uint64_t seen,
                                             std::chrono::milliseconds timeout) const override {
    return end_signal_.wait(timeout, seen);
  }

 private:
  const relay::relay_store& store_;
  relay::log_end_signal& end_signal_;
};

}  // namespace binrelay::daemon
