#include "protocol/server_login_cache.h"

namespace binrelay::protocol {

void login_cache::remember(const std::string& user, const caching_sha2_digest& digest) {
  std::lock_guard lock(mutex_);
  entries_[user] = digest;
}

std::optional<caching_sha2_digest> login_cache::find(const std::string& user) const {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(user);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

void login_cache::forget(const std::string& user) {
  std::lock_guard lock(mutex_);
  entries_.erase(user);
}

}  // namespace binrelay::protocol
