#pragma once
// Operator log: one line per state change on stderr, "2026-11-23T10:49:39.123Z INFO  text".
// Never call it per event. Thread-safe: each line is written with a single write(2).

#include <string_view>

#include <fmt/format.h>

namespace binrelay::log {

enum class level { debug, info, warn, error };

// Lines below this level are dropped. Default: info.
void set_level(level min_level);
bool enabled(level l);
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
