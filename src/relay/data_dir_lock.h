#pragma once
// data_dir_lock: one process per data directory. binrelayd and binrelay-import take an
// exclusive flock(2) on DATA_DIR/binrelayd.pid before they read anything in the directory,
// and write their pid and name into it (the pid file operators and init systems read). The
// kernel drops the lock when the process ends, kill -9 included, so a stale file never blocks
// a restart; the file itself is left in place (removing it would race with a new owner).
//
// Two daemons on one directory would both append to the same relay file and duplicate GTIDs;
// the second is refused, naming the holder.
//
// Not thread-safe; hold the object for the process's life.

#include <filesystem>
#include <string_view>

#include "common/result.h"

namespace binrelay::relay {

class data_dir_lock {
 public:
  // Creates `dir` if missing, locks DATA_DIR/binrelayd.pid and writes "<pid> <program>\n".
  // Errors: io_error (cannot create or open), invalid_argument (held by another process:
  // the message names its pid and program as the file says).
  static result<data_dir_lock> acquire(const std::filesystem::path& dir, std::string_view program);

  data_dir_lock(data_dir_lock&& other) noexcept;
  data_dir_lock& operator=(data_dir_lock&& other) noexcept;
  data_dir_lock(const data_dir_lock&) = delete;
  data_dir_lock& operator=(const data_dir_lock&) = delete;
  ~data_dir_lock();  // releases the lock

  const std::filesystem::path& path() const { return path_; }

  static constexpr std::string_view file_name = "binrelayd.pid";

 private:
  data_dir_lock(int fd, std::filesystem::path path) : fd_(fd), path_(std::move(path)) {}

  int fd_ = -1;
  std::filesystem::path path_;
};

}  // namespace binrelay::relay
