#pragma once
// log_end_signal: wakes the replica sessions waiting for the relay log's end to move, so an
// idle replica waits on a timer instead of polling the store (a timer used as a condition
// variable, docs/serving.md).
//
// Threading: thread-safe. notify() may be called from any thread (the store's on_end_change
// callback on the writer thread); wait() from a coroutine on any executor (the sessions of
// every serving thread share one signal). notify() takes the waiters present and posts each
// one's wake-up to the waiter's own executor. A wake-up cannot be lost between a session's
// look at the store and its wait(): the session reads generation() before it looks, and
// wait() returns at once when a notify() came since (the store publishes its end before it
// notifies).

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

namespace binrelay::relay {

class log_end_signal {
 public:
  log_end_signal() = default;
  log_end_signal(const log_end_signal&) = delete;
  log_end_signal& operator=(const log_end_signal&) = delete;

  // Wakes every current waiter. Thread-safe.
  void notify();
  // How many notify() calls there were so far; read before looking at the store.
  std::uint64_t generation();
  // Returns at once when notify() was called since `seen` (a generation()); else at the next
  // notify(), after `timeout`, or when the coroutine is cancelled.
  boost::asio::awaitable<void> wait(std::chrono::milliseconds timeout, std::uint64_t seen);

 private:
  std::mutex mu_;
  std::uint64_t generation_ = 0;                                     // guarded by mu_
  std::vector<std::shared_ptr<boost::asio::steady_timer>> waiters_;  // guarded by mu_
};

}  // namespace binrelay::relay
