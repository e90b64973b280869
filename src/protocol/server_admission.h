#pragma once
// Connection slots of one server port: how many connections may be logged in, how many may be
// in their handshake (unauthenticated) at once, and the one slot past max_connections that only
// a reserved user (binrelayd's admin) may take, as MySQL keeps one for SUPER. docs/security.md.
//
//   accept:        refused (ERR 1040 in place of the greeting) when max_unauthenticated
//                  connections are already in their handshake, or when every slot, the
//                  reserved one included, is logged in;
//   after login:   a user takes a slot when fewer than max_connections are logged in; a
//                  reserved user also when exactly max_connections are (the reserved slot);
//                  else the login is answered with ERR 1040 in place of its OK.
//
// So at most max_connections + 1 + max_unauthenticated connections exist at once.
//
// Sans-I/O. Thread-safe (atomics): the listener admits on its executor, connections log in on
// theirs.

#include <atomic>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace binrelay::protocol {

struct admission_limits {
  std::size_t max_connections = 256;        // logged-in connections of ordinary users
  std::size_t max_unauthenticated = 64;     // connections between accept and login
  std::vector<std::string> reserved_users;  // may take the slot past max_connections
};

class connection_slots {
 public:
  explicit connection_slots(admission_limits limits) : limits_(std::move(limits)) {}

  // At accept: true and the connection counts as unauthenticated, or false (refuse it).
  bool try_begin_handshake();
  // The handshake ended, logged in or not. REQUIRES: after a true try_begin_handshake().
  void end_handshake();
  // After authentication, before the OK: true and `user` holds a slot until logout(), or
  // false (answer ERR 1040).
  bool try_login(std::string_view user);
  // REQUIRES: after a true try_login().
  void logout();

  std::size_t logged_in() const { return logged_in_.load(); }
  std::size_t unauthenticated() const { return unauthenticated_.load(); }
  const admission_limits& limits() const { return limits_; }

 private:
  bool reserved(std::string_view user) const;
  // Slots including the reserved one, when there is a reserved user.
  std::size_t all_slots() const;

  admission_limits limits_;
  std::atomic<std::size_t> logged_in_{0};
  std::atomic<std::size_t> unauthenticated_{0};
};

}  // namespace binrelay::protocol
