#pragma once
// Login-failure back-off per source address: after `max_failures` refused logins from one
// address within `window`, that address is refused (ERR 1129, in place of the greeting) until
// `window` has passed since the block began. A successful login forgets the address's failures.
// This turns a password-guessing flood from one address into a handful of guesses per window
// while logins from every other address go on. docs/security.md.
//
// At most `max_tracked` addresses are remembered (entries whose window ended are dropped first);
// past that, new addresses are not tracked (and so not blocked), which bounds the memory an
// attacker with many addresses can make us hold: about 100 bytes per entry.
//
// Sans-I/O (the caller passes the time). Thread-safe: one mutex, held for a map lookup.

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace binrelay::protocol {

struct login_throttle_options {
  std::size_t max_failures = 20;    // per address per window; 0 turns the back-off off
  std::chrono::seconds window{60};  // counting window, and how long a block lasts
  std::size_t max_tracked = 4096;   // addresses remembered at once
};

class login_throttle {
 public:
  using clock = std::chrono::steady_clock;

  explicit login_throttle(login_throttle_options options = {}) : options_(options) {}

  // False while `address` is blocked.
  bool allowed(std::string_view address, clock::time_point now);
  // A refused login from `address`. True when this failure starts a block (log it once).
  bool record_failure(std::string_view address, clock::time_point now);
  // A successful login from `address`: its failures are forgotten.
  void record_success(std::string_view address);

  const login_throttle_options& options() const { return options_; }
  std::size_t tracked() const;

 private:
  struct entry {
    clock::time_point window_start;
    std::size_t failures = 0;
    clock::time_point blocked_until;  // epoch: not blocked
  };
  // Drops entries whose window and block have passed. REQUIRES: mutex_ held.
  void prune(clock::time_point now);

  login_throttle_options options_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, entry> entries_;
  clock::time_point last_prune_;
};

}  // namespace binrelay::protocol
