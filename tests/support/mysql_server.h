#pragma once
// A real, throwaway MySQL 9.7 server for tests. MySQL 9.7 needs a newer libc than Debian 12, so
// mysqld runs in the Debian sid chroot built by scripts/mysql-chroot.sh (the chroot shares the
// loopback network). Each server has its own data directory inside the chroot's /tmp, is
// started with GTIDs on and ROW binlogs, and is stopped and removed on destruction. Statements run
// through MySQL's own `mysql` client in the chroot, over the server's socket.
//
// Every server has a user `binrelay` (password `binrelay-pw`, caching_sha2_password) with all
// privileges, reachable over TCP. Not thread-safe; one object per server. When the chroot is
// missing the constructor throws (the MySQL tests fail, they do not skip).

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace binrelay::test {

struct mysql_options {
  std::uint32_t server_id = 1;
  bool log_bin = true;
  bool gtid_mode = true;
  // Extra mysqld arguments, e.g. "--binlog-transaction-compression=ON".
  std::vector<std::string> extra_args;
};

// The chroot holding MySQL 9.7: $BINRELAY_MYSQL_CHROOT or /opt/binrelay-mysql-sid.
std::filesystem::path mysql_chroot();
// Runs a command inside the chroot (through `chroot DIR sh -c`); returns its stdout, throws
// with its stderr on a non-zero exit.
std::string run_in_mysql_chroot(const std::string& cmd);

class mysql_server {
 public:
  explicit mysql_server(mysql_options options = {});
  ~mysql_server();
  mysql_server(const mysql_server&) = delete;
  mysql_server& operator=(const mysql_server&) = delete;

  std::uint16_t port() const { return port_; }
  // Paths as mysqld sees them (inside the chroot) and as the host sees them.
  const std::filesystem::path& datadir() const { return datadir_; }
  std::filesystem::path host_datadir() const { return mysql_chroot() / datadir_.relative_path(); }
  std::filesystem::path socket_path() const { return root_ / "mysqld.sock"; }
  std::filesystem::path error_log() const {
    return mysql_chroot() / (root_ / "error.log").relative_path();
  }
  static constexpr const char* user = "binrelay";
  static constexpr const char* password = "binrelay-pw";

  // Runs statements as root; returns the tab-separated, newline-terminated rows (-N -B).
  // Throws std::runtime_error with the client's stderr on failure.
  std::string query(const std::string& sql) const;
  std::vector<std::vector<std::string>> rows(const std::string& sql) const;
  std::string scalar(const std::string& sql) const;
  // SHOW ... output with column names: the first row holds the names (-B without -N).
  std::vector<std::vector<std::string>> rows_with_names(const std::string& sql) const;

  // Binlog files in index order, as host paths.
  std::vector<std::filesystem::path> binlog_files() const;

  void stop();   // SIGTERM and wait
  void kill9();  // SIGKILL and wait
  void start();  // (re)start on the same port and datadir
  bool running() const { return pid_ > 0; }

 private:
  void wait_ready();
  std::string client(const std::string& flags, const std::string& sql) const;

  mysql_options options_;
  std::filesystem::path root_;     // inside the chroot
  std::filesystem::path datadir_;  // inside the chroot
  std::uint16_t port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace binrelay::test
