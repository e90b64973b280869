#pragma once
// reload: the settings binrelayd changes without a restart, on SIGHUP: the log level and the
// relay log retention limits. Everything else needs a restart (docs/operations.md, "Signals").
// Pure.

#include <string>
#include <vector>

#include "common/log.h"
#include "relay/retention.h"

namespace binrelay::daemon {

struct reloadable_settings {
  log::level log_level = log::level::info;
  relay::retention_limits retention;
};

// What differs from `before` to `after`, one "name old -> new" text per changed setting, named
// as the options are (log-level, retention-hours, retention-bytes).
std::vector<std::string> reload_changes(const reloadable_settings& before,
                                        const reloadable_settings& after);

}  // namespace binrelay::daemon
