#include "common/log.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <mutex>
#include <string>

namespace binrelay::log {
namespace {

std::atomic<level> g_min_level{level::info};
std::mutex g_file_mutex;
std::filesystem::path g_file;  // guarded by g_file_mutex; empty: stderr as inherited

std::string_view tag(level l) {
  switch (l) {
    case level::debug:
      return "DEBUG";
    case level::info:
      return "INFO ";
    case level::warn:
      return "WARN ";
    case level::error:
      return "ERROR";
  }
  return "?";
}

// Points stderr at `path` (appending). dup2 replaces the descriptor atomically, so a line
// being written concurrently goes wholly to the old file or the new one.
result<void> redirect_stderr(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0) {
    return make_error(errc::io_error, "cannot open log file {}: {} (errno {})", path.string(),
                      std::strerror(errno), errno);
  }
  int rc = ::dup2(fd, STDERR_FILENO);
  int saved = errno;
  ::close(fd);
  if (rc < 0) {
    return make_error(errc::io_error, "cannot log to {}: dup2: {} (errno {})", path.string(),
                      std::strerror(saved), saved);
  }
  return {};
}

}  // namespace

void set_level(level min_level) {
  g_min_level = min_level;
}
level current_level() {
  return g_min_level.load();
}

std::optional<level> parse_level(std::string_view name) {
  for (level l : {level::debug, level::info, level::warn, level::error}) {
    if (level_name(l) == name) return l;
  }
  return std::nullopt;
}

std::string_view level_name(level l) {
  switch (l) {
    case level::debug:
      return "debug";
    case level::info:
      return "info";
    case level::warn:
      return "warn";
    case level::error:
      return "error";
  }
  return "?";
}

result<void> to_file(const std::filesystem::path& path) {
  std::lock_guard lock(g_file_mutex);
  auto r = redirect_stderr(path);
  if (r) g_file = path;
  return r;
}

result<void> reopen() {
  std::lock_guard lock(g_file_mutex);
  if (g_file.empty()) return {};
  return redirect_stderr(g_file);
}
bool enabled(level l) {
  return l >= g_min_level.load(std::memory_order_relaxed);
}

void write(level l, std::string_view text) {
  using namespace std::chrono;
  auto now = system_clock::now();
  std::time_t secs = system_clock::to_time_t(now);
  auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string line = fmt::format("{}.{:03}Z {} {}\n", stamp, ms, tag(l), text);
  ssize_t unused = ::write(STDERR_FILENO, line.data(), line.size());
  (void)unused;
}

}  // namespace binrelay::log
