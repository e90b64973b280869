#include "support/processes.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace binrelay::test {
namespace fs = std::filesystem;

child_process::child_process(std::vector<std::string> argv, fs::path log_file,
                             std::vector<std::string> env)
    : log_file_(std::move(log_file)) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log_file_.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                   0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e) env_strings.emplace_back(*e);
  for (auto& e : env) env_strings.push_back(e);
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  int rc = posix_spawnp(&pid_, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + argv[0]);
}

child_process::~child_process() {
  if (pid_ > 0) kill9();
}

bool child_process::running() {
  if (pid_ <= 0) return false;
  if (waitpid(pid_, &status_, WNOHANG) == pid_) {
    pid_ = -1;
    return false;
  }
  return true;
}

void child_process::kill9() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  waitpid(pid_, &status_, 0);
  pid_ = -1;
}

int child_process::wait() {
  if (pid_ > 0) {
    waitpid(pid_, &status_, 0);
    pid_ = -1;
  }
  return WIFEXITED(status_) ? WEXITSTATUS(status_) : -WTERMSIG(status_);
}

int child_process::terminate(std::chrono::seconds timeout) {
  if (pid_ <= 0) return wait();
  ::kill(pid_, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (running()) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill9();
      throw std::runtime_error("process did not exit within the timeout after SIGTERM");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  int status = wait();
  // A killed process (a crash) leaves its log where CI shows it: the test only sees the status.
  if (status < 0) std::cerr << "process ended by signal " << -status << "; its log:\n" << log();
  return status;
}

std::string child_process::log() const {
  std::ifstream in(log_file_);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

bool child_process::wait_for_log(const std::string& text, std::chrono::milliseconds timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (log().find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

fs::path binrelayd_path() {
  return fs::path(BINRELAY_BUILD_DIR) / "tools/binrelayd/binrelayd";
}
fs::path inspect_path() {
  return fs::path(BINRELAY_BUILD_DIR) / "tools/binrelay-inspect/binrelay-inspect";
}
fs::path import_path() {
  return fs::path(BINRELAY_BUILD_DIR) / "tools/binrelay-import/binrelay-import";
}

temp_dir::temp_dir() {
  char tmpl[] = "/tmp/binrelay-test-XXXXXX";
  if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

temp_dir::~temp_dir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::vector<std::string> sysbench_args(std::uint16_t port, const std::string& test_name,
                                       int threads, int seconds, int tables, int table_size) {
  return {"sysbench",
          test_name,
          "--db-driver=mysql",
          "--mysql-host=127.0.0.1",
          "--mysql-port=" + std::to_string(port),
          "--mysql-user=binrelay",
          "--mysql-password=binrelay-pw",
          "--mysql-db=sbtest",
          "--tables=" + std::to_string(tables),
          "--table-size=" + std::to_string(table_size),
          "--threads=" + std::to_string(threads),
          "--time=" + std::to_string(seconds),
          "--report-interval=0",
          "--db-ps-mode=disable"};
}

}  // namespace binrelay::test
