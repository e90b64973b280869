#pragma once
// Operator log: one line per state change on stderr, "2026-11-23T10:49:39.123Z INFO  text".
// Never call it per event. Thread-safe: each line is written with a single write(2).
// With a log file (to_file), stderr itself is pointed at that file (dup2), so whatever else
// writes to stderr lands there too; reopen() does it again for logrotate (SIGHUP).

#include <filesystem>
#include <optional>
#include <string_view>

#include "common/result.h"

#include <fmt/format.h>

namespace binrelay::log {

enum class level { debug, info, warn, error };

// Lines below this level are dropped. Default: info.
void set_level(level min_level);
level current_level();
bool enabled(level l);
// "debug", "info", "warn", "error" (the --log-level names); nullopt for anything else.
std::optional<level> parse_level(std::string_view name);
std::string_view level_name(level l);

// From now on the log (and stderr) appends to `path`, created mode 0640 if missing.
// Errors: io_error naming the file. Call once, before other threads start.
result<void> to_file(const std::filesystem::path& path);
// Opens the log file's path again (after logrotate moved it away); no-op without a log file.
// On failure the old file stays in use. Thread-safe.
result<void> reopen();
void write(level l, std::string_view text);

template <class... Args>
void info(fmt::format_string<Args...> f, Args&&... args) {
  if (enabled(level::info)) write(level::info, fmt::format(f, std::forward<Args>(args)...));
}
template <class... Args>
void warn(fmt::format_string<Args...> f, Args&&... args) {
  if (enabled(level::warn)) write(level::warn, fmt::format(f, std::forward<Args>(args)...));
}
template <class... Args>
void error(fmt::format_string<Args...> f, Args&&... args) {
  if (enabled(level::error)) write(level::error, fmt::format(f, std::forward<Args>(args)...));
}
template <class... Args>
void debug(fmt::format_string<Args...> f, Args&&... args) {
  if (enabled(level::debug)) write(level::debug, fmt::format(f, std::forward<Args>(args)...));
}

}  // namespace binrelay::log
