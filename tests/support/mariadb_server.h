#pragma once
// A real, throwaway MariaDB server for tests: `mariadbd --no-defaults` on 127.0.0.1 with its
// own temporary data directory, stopped and removed on destruction. Statements run through the
// `mariadb` command-line client over the server's socket, so the test harness does not depend
// on binrelay's own protocol code.
//
// Every server has a user `binrelay` (password `binrelay-pw`) with all privileges, reachable
// over TCP. Not thread-safe; one object per server.

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "support/commands.h"

namespace binrelay::test {

struct mariadb_options {
  std::uint32_t server_id = 1;
  bool log_bin = true;
  // Extra mariadbd arguments, e.g. "--binlog-row-image=MINIMAL".
  std::vector<std::string> extra_args;
  // Runs mariadbd through this command, e.g. {"ip", "netns", "exec", "ns1"} (which execs it,
  // so the pid stays mariadbd's); empty: directly.
  std::vector<std::string> launcher = {};
  std::string bind_address = "127.0.0.1";
  std::uint16_t port = 0;  // 0: a free port on 127.0.0.1
};

class mariadb_server {
 public:
  explicit mariadb_server(mariadb_options options = {});
  ~mariadb_server();
  mariadb_server(const mariadb_server&) = delete;
  mariadb_server& operator=(const mariadb_server&) = delete;

  std::uint16_t port() const { return port_; }
  const std::filesystem::path& datadir() const { return datadir_; }
  std::filesystem::path socket_path() const { return datadir_ / "mysqld.sock"; }
  static constexpr const char* user = "binrelay";
  static constexpr const char* password = "binrelay-pw";

  // Runs statements as root; returns the tab-separated, newline-terminated rows (-N -B).
  // Throws std::runtime_error with the client's stderr on failure.
  std::string query(const std::string& sql) const;
  // One row per line, fields split on tabs.
  std::vector<std::vector<std::string>> rows(const std::string& sql) const;
  // The first field of the first row ("" when no rows).
  std::string scalar(const std::string& sql) const;

  // Binlog files in index order (absolute paths).
  std::vector<std::filesystem::path> binlog_files() const;

  void stop();   // SIGTERM and wait
  void kill9();  // SIGKILL and wait
  void start();  // (re)start on the same port and datadir
  bool running() const { return pid_ > 0; }

 private:
  void wait_ready();

  mariadb_options options_;
  std::filesystem::path root_;
  std::filesystem::path datadir_;
  std::uint16_t port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace binrelay::test
