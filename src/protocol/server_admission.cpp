#include "protocol/server_admission.h"

#include <algorithm>

namespace binrelay::protocol {
namespace {

// Increments `counter` when it is below `limit`.
bool increment_below(std::atomic<std::size_t>& counter, std::size_t limit) {
  std::size_t now = counter.load();
  while (now < limit) {
    if (counter.compare_exchange_weak(now, now + 1)) return true;
  }
  return false;
}

}  // namespace

bool connection_slots::reserved(std::string_view user) const {
  return std::find(limits_.reserved_users.begin(), limits_.reserved_users.end(), user) !=
         limits_.reserved_users.end();
}

std::size_t connection_slots::all_slots() const {
  return limits_.max_connections + (limits_.reserved_users.empty() ? 0 : 1);
}

bool connection_slots::try_begin_handshake() {
  if (logged_in_.load() >= all_slots()) return false;
  return increment_below(unauthenticated_, limits_.max_unauthenticated);
}

void connection_slots::end_handshake() {
  unauthenticated_.fetch_sub(1);
}

bool connection_slots::try_login(std::string_view user) {
  return increment_below(logged_in_, reserved(user) ? all_slots() : limits_.max_connections);
}

void connection_slots::logout() {
  logged_in_.fetch_sub(1);
}

}  // namespace binrelay::protocol
