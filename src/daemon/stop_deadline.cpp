#include "daemon/stop_deadline.h"

#include <unistd.h>

#include "common/log.h"

namespace binrelay::daemon {

stop_deadline::stop_deadline(std::chrono::milliseconds limit, std::function<void()> before_exit)
    : limit_(limit), before_exit_(std::move(before_exit)) {}

stop_deadline::~stop_deadline() {
  {
    std::lock_guard lock(mu_);
    done_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void stop_deadline::arm() {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || done_) return;
  thread_ = std::thread([this] { wait(); });
}

void stop_deadline::wait() {
  std::unique_lock lock(mu_);
  if (cv_.wait_for(lock, limit_, [this] { return done_; })) return;
  log::error(
      "binrelayd did not stop within {} ms of the termination signal; exiting now "
      "(the relay log recovers at the next start)",
      limit_.count());
  if (before_exit_) before_exit_();
  ::_exit(1);
}

}  // namespace binrelay::daemon
