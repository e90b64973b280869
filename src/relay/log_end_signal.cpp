#include "relay/log_end_signal.h"

#include <algorithm>

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace binrelay::relay {
namespace asio = boost::asio;

void log_end_signal::notify() {
  std::vector<std::shared_ptr<asio::steady_timer>> woken;
  {
    std::lock_guard lock(mu_);
    ++generation_;
    woken.swap(waiters_);
  }
  for (auto& timer : woken) {
    // On the timer's own executor: a timer is not thread-safe. The shared_ptr keeps it alive
    // if its waiter timed out meanwhile.
    asio::post(timer->get_executor(), [timer] { timer->cancel(); });
  }
}

std::uint64_t log_end_signal::generation() {
  std::lock_guard lock(mu_);
  return generation_;
}

asio::awaitable<void> log_end_signal::wait(std::chrono::milliseconds timeout, std::uint64_t seen) {
  auto timer = std::make_shared<asio::steady_timer>(co_await asio::this_coro::executor, timeout);
  {
    std::lock_guard lock(mu_);
    if (generation_ != seen) co_return;
    waiters_.push_back(timer);
  }
  boost::system::error_code ec;
  co_await timer->async_wait(asio::redirect_error(asio::use_awaitable, ec));
  std::lock_guard lock(mu_);
  std::erase(waiters_, timer);
}

}  // namespace binrelay::relay
