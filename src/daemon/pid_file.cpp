#include "daemon/pid_file.h"

#include <unistd.h>

#include <fmt/format.h>

#include "common/durable_file.h"

namespace binrelay::daemon {

result<pid_file> pid_file::write(const std::filesystem::path& path) {
  auto parent = path.parent_path();
  if (!parent.empty() && !std::filesystem::is_directory(parent)) {
    return make_error(errc::io_error, "cannot write --pid-file {}: directory {} does not exist",
                      path.string(), parent.string());
  }
  auto w = write_file_durably(path, fmt::format("{}\n", ::getpid()), 0644);
  if (!w) return make_error(errc::io_error, "--pid-file: {}", w.error().message);
  return pid_file(path);
}

pid_file::~pid_file() {
  if (path_.empty()) return;
  std::error_code ignored;
  std::filesystem::remove(path_, ignored);
}

}  // namespace binrelay::daemon
