#include "relay/sync_policy.h"

namespace binrelay::relay {

periodic_task::periodic_task(std::chrono::milliseconds period, std::function<void()> task)
    : period_(period), task_(std::move(task)), thread_([this] { run(); }) {}

periodic_task::~periodic_task() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void periodic_task::run() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    if (cv_.wait_for(lock, period_, [this] { return stop_; })) break;
    lock.unlock();
    task_();
    lock.lock();
  }
}

}  // namespace binrelay::relay
