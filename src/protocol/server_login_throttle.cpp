#include "protocol/server_login_throttle.h"

#include <iterator>

namespace binrelay::protocol {

bool login_throttle::allowed(std::string_view address, clock::time_point now) {
  if (options_.max_failures == 0) return true;
  std::lock_guard lock(mutex_);
  auto it = entries_.find(std::string(address));
  return it == entries_.end() || it->second.blocked_until <= now;
}

bool login_throttle::record_failure(std::string_view address, clock::time_point now) {
  if (options_.max_failures == 0) return false;
  std::lock_guard lock(mutex_);
  auto it = entries_.find(std::string(address));
  if (it == entries_.end()) {
    if (entries_.size() >= options_.max_tracked) prune(now);
    if (entries_.size() >= options_.max_tracked) return false;
    it = entries_.emplace(std::string(address), entry{now, 0, {}}).first;
  }
  entry& e = it->second;
  if (e.blocked_until > now) return false;
  if (now - e.window_start >= options_.window) e = entry{now, 0, {}};
  if (++e.failures < options_.max_failures) return false;
  e.blocked_until = now + options_.window;
  e.window_start = e.blocked_until;  // counting starts afresh when the block ends
  e.failures = 0;
  return true;
}

void login_throttle::record_success(std::string_view address) {
  if (options_.max_failures == 0) return;
  std::lock_guard lock(mutex_);
  entries_.erase(std::string(address));
}

std::size_t login_throttle::tracked() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

void login_throttle::prune(clock::time_point now) {
  // At most once a second: a full table of live entries would otherwise cost a scan per failure.
  if (now - last_prune_ < std::chrono::seconds(1)) return;
  last_prune_ = now;
  for (auto it = entries_.begin(); it != entries_.end();) {
    bool live = it->second.blocked_until > now || now - it->second.window_start < options_.window;
    it = live ? std::next(it) : entries_.erase(it);
  }
}

}  // namespace binrelay::protocol
