#include "daemon/reload.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace binrelay::daemon {

std::vector<std::string> reload_changes(const reloadable_settings& before,
                                        const reloadable_settings& after) {
  std::vector<std::string> out;
  if (before.log_level != after.log_level) {
    out.push_back(fmt::format("log-level {} -> {}", log::level_name(before.log_level),
                              log::level_name(after.log_level)));
  }
  auto hours = [](const relay::retention_limits& r) { return r.max_age.count() / 3600; };
  if (before.retention.max_age != after.retention.max_age) {
    out.push_back(
        fmt::format("retention-hours {} -> {}", hours(before.retention), hours(after.retention)));
  }
  if (before.retention.max_total_size != after.retention.max_total_size) {
    out.push_back(fmt::format("retention-bytes {} -> {}", before.retention.max_total_size,
                              after.retention.max_total_size));
  }
  std::vector<std::string> restart;
  auto note = [&](const std::string& name) {
    if (name == "log-level" || name.starts_with("retention-")) return;
    if (std::find(restart.begin(), restart.end(), name) == restart.end()) restart.push_back(name);
  };
  for (const auto& [name, value] : after.given) {
    auto old = before.given.find(name);
    if (old == before.given.end() || old->second != value) note(name);
  }
  for (const auto& [name, value] : before.given) {
    if (!after.given.contains(name)) note(name);
  }
  std::sort(restart.begin(), restart.end());
  if (!restart.empty())
    out.push_back(fmt::format("only applied at a restart: {}", fmt::join(restart, ", ")));
  return out;
}

}  // namespace binrelay::daemon
