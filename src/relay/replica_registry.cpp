#include "relay/replica_registry.h"

#include <algorithm>

namespace binrelay::relay {

std::optional<std::int64_t> replica_lag_seconds(const replica_info& r, const log_position& end,
                                                std::uint32_t end_timestamp) {
  if (!r.dumping) return std::nullopt;
  if (r.position == end) return 0;
  if (r.last_event_timestamp == 0 || end_timestamp == 0) return std::nullopt;
  return std::max<std::int64_t>(0, std::int64_t(end_timestamp) - r.last_event_timestamp);
}

replica_registry::ticket replica_registry::register_replica(replica_info info,
                                                            std::function<void()> close) {
  std::vector<std::function<void()>> replaced;
  ticket t = 0;
  {
    std::lock_guard lock(mu_);
    for (auto it = entries_.begin(); it != entries_.end();) {
      if (it->second.info.server_id == info.server_id) {
        replaced.push_back(std::move(it->second.close));
        it = entries_.erase(it);
      } else {
        ++it;
      }
    }
    t = next_++;
    entries_.emplace(t, entry{std::move(info), std::move(close)});
  }
  for (auto& c : replaced) {
    if (c) c();
  }
  return t;
}

void replica_registry::update_progress(ticket t, const log_position& position,
                                       const std::string& last_gtid, std::uint64_t bytes_sent,
                                       std::uint32_t last_event_timestamp) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(t);
  if (it == entries_.end()) return;
  replica_info& i = it->second.info;
  i.position = position;
  if (!last_gtid.empty()) i.last_sent_gtid = last_gtid;
  i.bytes_sent = bytes_sent;
  if (last_event_timestamp != 0) i.last_event_timestamp = last_event_timestamp;
  i.dumping = true;
}

void replica_registry::unregister(ticket t) {
  std::lock_guard lock(mu_);
  entries_.erase(t);
}

bool replica_registry::close_connection(std::uint32_t connection_id) {
  std::function<void()> close;
  {
    std::lock_guard lock(mu_);
    for (const auto& [t, e] : entries_) {
      if (e.info.connection_id == connection_id) close = e.close;
    }
  }
  if (!close) return false;
  close();
  return true;
}

std::vector<replica_info> replica_registry::snapshot() const {
  std::vector<replica_info> out;
  {
    std::lock_guard lock(mu_);
    for (const auto& [t, e] : entries_) out.push_back(e.info);
  }
  std::sort(out.begin(), out.end(),
            [](const replica_info& a, const replica_info& b) { return a.server_id < b.server_id; });
  return out;
}

std::size_t replica_registry::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

std::optional<std::string> replica_registry::oldest_file_in_use() const {
  std::lock_guard lock(mu_);
  std::optional<std::string> oldest;
  for (const auto& [t, e] : entries_) {
    const std::string& f = e.info.position.file;
    if (!e.info.dumping || f.empty()) continue;
    if (!oldest || f < *oldest) oldest = f;
  }
  return oldest;
}

}  // namespace binrelay::relay
