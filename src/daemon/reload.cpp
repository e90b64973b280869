#include "daemon/reload.h"

#include <fmt/format.h>

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
  return out;
}

}  // namespace binrelay::daemon
