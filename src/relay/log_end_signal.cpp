#include "relay/log_end_signal.h"

#include <algorithm>

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace binrelay::relay {
namespace asio = boost::asio;

void log_end_signal::notify() {
  asio::post(executor_, [this] {
    for (auto* t : waiters_) t->cancel();
    waiters_.clear();
  });
}

asio::awaitable<void> log_end_signal::wait(std::chrono::milliseconds timeout) {
  asio::steady_timer timer(executor_, timeout);
  waiters_.push_back(&timer);
  boost::system::error_code ec;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  std::erase(waiters_, &timer);
}

}  // namespace binrelay::relay
