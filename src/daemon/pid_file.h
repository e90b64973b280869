#pragma once
// pid_file: the --pid-file an init system or operator reads: "<pid>\n", written after the
// data-directory lock is taken (so it names the process that holds the directory), removed
// when the daemon ends cleanly. A file left by a crash is simply overwritten at the next
// start. DATA_DIR/binrelayd.pid (relay/data_dir_lock.h) is separate and stays: it is the lock.
//
// Not thread-safe; one object for the process's life.

#include <filesystem>
#include <utility>

#include "common/result.h"

namespace binrelay::daemon {

class pid_file {
 public:
  // Writes the current pid into `path` (created mode 0644, replaced atomically). Errors:
  // io_error naming the file.
  static result<pid_file> write(const std::filesystem::path& path);

  pid_file(pid_file&& other) noexcept : path_(std::exchange(other.path_, {})) {}
  pid_file& operator=(pid_file&&) = delete;
  pid_file(const pid_file&) = delete;
  ~pid_file();  // removes the file

 private:
  explicit pid_file(std::filesystem::path path) : path_(std::move(path)) {}
  std::filesystem::path path_;
};

}  // namespace binrelay::daemon
