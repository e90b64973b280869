#pragma once
// admin_sessions: the admin port's open sessions, for SHOW PROCESSLIST and KILL. A session
// adds itself once logged in, notes each command, and removes itself when it ends.
// Thread-safe: sessions run on the serving threads, SHOW PROCESSLIST is answered on main.

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace binrelay::admin {

struct admin_session_info {
  std::uint32_t id = 0;  // the serving connection's id (KILL id)
  std::string user;
  std::string host;
  std::chrono::steady_clock::time_point last_command{};  // Time: seconds since, while idle
};

class admin_sessions {
 public:
  void add(admin_session_info info);
  void remove(std::uint32_t id);
  void note_command(std::uint32_t id);
  std::vector<admin_session_info> snapshot() const;

 private:
  mutable std::mutex mu_;
  std::map<std::uint32_t, admin_session_info> sessions_;
};

// Adds a session for its lifetime.
class admin_session_entry {
 public:
  admin_session_entry(admin_sessions* sessions, admin_session_info info);
  ~admin_session_entry();
  admin_session_entry(const admin_session_entry&) = delete;
  admin_session_entry& operator=(const admin_session_entry&) = delete;
  void note_command();

 private:
  admin_sessions* sessions_;
  std::uint32_t id_;
};

}  // namespace binrelay::admin
