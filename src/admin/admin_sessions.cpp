#include "admin/admin_sessions.h"

namespace binrelay::admin {

void admin_sessions::add(admin_session_info info) {
  std::lock_guard lock(mu_);
  sessions_[info.id] = std::move(info);
}

void admin_sessions::remove(std::uint32_t id) {
  std::lock_guard lock(mu_);
  sessions_.erase(id);
}

void admin_sessions::note_command(std::uint32_t id) {
  std::lock_guard lock(mu_);
  auto found = sessions_.find(id);
  if (found != sessions_.end()) found->second.last_command = std::chrono::steady_clock::now();
}

std::vector<admin_session_info> admin_sessions::snapshot() const {
  std::lock_guard lock(mu_);
  std::vector<admin_session_info> out;
  for (const auto& entry : sessions_) out.push_back(entry.second);
  return out;
}

admin_session_entry::admin_session_entry(admin_sessions* sessions, admin_session_info info)
    : sessions_(sessions), id_(info.id) {
  if (!sessions_) return;
  info.last_command = std::chrono::steady_clock::now();
  sessions_->add(std::move(info));
}

admin_session_entry::~admin_session_entry() {
  if (sessions_) sessions_->remove(id_);
}

void admin_session_entry::note_command() {
  if (sessions_) sessions_->note_command(id_);
}

}  // namespace binrelay::admin
