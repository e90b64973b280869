// log_end_signal: a notify() that comes after a session read the generation but before it
// waits is not lost, and one notify() wakes waiters on different executors (serving threads).

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "relay/log_end_signal.h"

using namespace binrelay;
namespace asio = boost::asio;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

TEST_CASE("log_end_signal: a notify() between generation() and wait() is not lost",
          "[log_end_signal]") {
  relay::log_end_signal signal;
  asio::io_context io;
  auto waited = clock_type::duration::max();
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        auto seen = signal.generation();
        signal.notify();  // the store's end moved while the session looked at it
        auto t0 = clock_type::now();
        co_await signal.wait(10s, seen);
        waited = clock_type::now() - t0;
      },
      asio::detached);
  io.run();
  CHECK(waited < 1s);
}

TEST_CASE("log_end_signal: one notify() wakes waiters on two threads", "[log_end_signal]") {
  relay::log_end_signal signal;
  asio::io_context a;
  asio::io_context b;
  std::atomic<int> woken{0};
  auto waiter = [&]() -> asio::awaitable<void> {
    auto t0 = clock_type::now();
    co_await signal.wait(10s, signal.generation());
    if (clock_type::now() - t0 < 5s) ++woken;
  };
  asio::co_spawn(a, waiter(), asio::detached);
  asio::co_spawn(b, waiter(), asio::detached);
  std::thread ta([&] { a.run(); });
  std::thread tb([&] { b.run(); });
  // Both are waiting once their timers are registered; notify until they are woken.
  auto deadline = clock_type::now() + 5s;
  while (woken < 2 && clock_type::now() < deadline) {
    std::this_thread::sleep_for(20ms);
    signal.notify();
  }
  ta.join();
  tb.join();
  CHECK(woken == 2);
}
