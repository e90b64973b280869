#pragma once
// Child processes for integration tests: binrelayd under test and sysbench write load.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace binrelay::test {

// A child process with stdout+stderr to a log file. Killed (SIGKILL) on destruction if alive.
class child_process {
 public:
  child_process(std::vector<std::string> argv, std::filesystem::path log_file,
                std::vector<std::string> env = {});
  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  pid_t pid() const { return pid_; }
  bool running();
  void kill9();
  // SIGTERM, then waits; returns the exit status (or -signal).
  int terminate(std::chrono::seconds timeout = std::chrono::seconds(30));
  // Waits for exit; returns the exit status (or -signal).
  int wait();
  std::string log() const;
  // Waits until the log contains `text` (true) or the timeout passes (false).
  bool wait_for_log(const std::string& text, std::chrono::milliseconds timeout) const;

 private:
  pid_t pid_ = -1;
  int status_ = 0;
  std::filesystem::path log_file_;
};

// The built binrelayd / binrelay-inspect / binrelay-import binaries.
std::filesystem::path binrelayd_path();
std::filesystem::path inspect_path();
std::filesystem::path import_path();

// A scratch directory removed on destruction.
class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// sysbench oltp_write_only (or `test_name`) against 127.0.0.1:port as binrelay/binrelay-pw.
std::vector<std::string> sysbench_args(std::uint16_t port, const std::string& test_name,
                                       int threads, int seconds, int tables, int table_size);

}  // namespace binrelay::test
