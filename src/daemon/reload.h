#pragma once
// reload: the settings binrelayd changes without a restart, on SIGHUP: the log level and the
// relay log retention limits. Everything else needs a restart (docs/operations.md, "Signals").
// Pure.

#include <map>
#include <string>
#include <vector>

#include "common/log.h"
#include "relay/retention.h"

namespace binrelay::daemon {

struct reloadable_settings {
  log::level log_level = log::level::info;
  relay::retention_limits retention;
  // Every option given (command line and config file) as text, by long name without "--":
  // compared only to name the changes a reload does not apply.
  std::map<std::string, std::string> given;
};

// What differs from `before` to `after`: one "name old -> new" text per changed reloadable
// setting, named as the options are (log-level, retention-hours, retention-bytes), then one
// "only applied at a restart: NAME, ..." naming (not showing) the other options that changed.
std::vector<std::string> reload_changes(const reloadable_settings& before,
                                        const reloadable_settings& after);

}  // namespace binrelay::daemon
