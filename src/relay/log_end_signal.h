#pragma once
// log_end_signal: wakes the replica sessions of one executor when the relay log's end moves,
// so an idle replica waits on a timer instead of polling the store (a timer used as a
// condition variable, docs/serving.md).
//
// Threading: notify() may be called from any thread (the store's on_end_change callback on the
// writer thread); it posts the wake-up to the executor. wait() runs on the executor, which must
// not run handlers concurrently (the serving io_context has one thread). A wake-up cannot be
// lost between a session's look at the store and its wait(): both run on the executor without
// suspending in between, and the posted wake-up runs after the session suspended.

#include <chrono>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

namespace binrelay::relay {

class log_end_signal {
 public:
  explicit log_end_signal(boost::asio::any_io_executor executor) : executor_(std::move(executor)) {}
  log_end_signal(const log_end_signal&) = delete;
  log_end_signal& operator=(const log_end_signal&) = delete;

  // Wakes every current waiter. Thread-safe.
  void notify();
  // Returns at the next notify(), after `timeout`, or when the coroutine is cancelled.
  boost::asio::awaitable<void> wait(std::chrono::milliseconds timeout);

 private:
  boost::asio::any_io_executor executor_;
  std::vector<boost::asio::steady_timer*> waiters_;  // touched on the executor only
};

}  // namespace binrelay::relay
