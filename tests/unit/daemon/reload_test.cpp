// reload_changes: what a SIGHUP changed, as the log line names it.

#include <catch2/catch.hpp>

#include "daemon/reload.h"

using namespace binrelay;
using namespace binrelay::daemon;

TEST_CASE("reload: each changed setting is named with its old and new value") {
  reloadable_settings before;
  reloadable_settings after = before;
  CHECK(reload_changes(before, after).empty());
  after.log_level = log::level::debug;
  after.retention.max_age = std::chrono::hours(48);
  after.retention.max_total_size = 5;
  CHECK(reload_changes(before, after) == std::vector<std::string>{"log-level info -> debug",
                                                                  "retention-hours 0 -> 48",
                                                                  "retention-bytes 0 -> 5"});
}

TEST_CASE("reload: other changed options are named as needing a restart, without values") {
  reloadable_settings before;
  before.given = {
      {"listen", "127.0.0.1:3307"}, {"upstream", "a:1"}, {"log-level", "info"}, {"sync", "none"}};
  reloadable_settings after;
  after.log_level = log::level::debug;
  after.given = {{"listen", "127.0.0.1:3308"},
                 {"upstream", "a:1"},
                 {"log-level", "debug"},
                 {"retention-hours", "2"},
                 {"upstream-password-file", "/p"}};
  after.retention.max_age = std::chrono::hours(2);
  CHECK(
      reload_changes(before, after) ==
      std::vector<std::string>{"log-level info -> debug", "retention-hours 0 -> 2",
                               "only applied at a restart: listen, sync, upstream-password-file"});
}

TEST_CASE("reload: log level names parse back, anything else is refused") {
  for (auto l : {log::level::debug, log::level::info, log::level::warn, log::level::error})
    CHECK(log::parse_level(log::level_name(l)) == l);
  CHECK_FALSE(log::parse_level("verbose"));
  CHECK_FALSE(log::parse_level("INFO"));
}
