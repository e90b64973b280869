#pragma once
// Helpers for serving MySQL replicas: binrelayd following a real MySQL 9.7 primary
// (support/mysql_server.h) and serving on a free port, real MySQL 9.7 replicas following it by
// auto-position, and MySQL's own command-line tools (run in the MySQL chroot) against it.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "support/mysql_server.h"
#include "support/processes.h"

namespace binrelay::test {

inline constexpr const char* mysql_repl_user = "repl";
inline constexpr const char* mysql_repl_password = "repl-Pw-1";
inline constexpr const char* mysql_admin_password = "Adm1n-Pw-9";

// The flags that make binrelayd serve replicas on 127.0.0.1:`port` with the replication user
// (mysql_repl_user) and the admin user ("admin"); their password files are written in `dir`.
std::vector<std::string> mysql_serve_flags(const std::filesystem::path& dir, std::uint16_t port);

// binrelayd following `primary`, serving on a free port with the replication user and the
// admin user ("admin"), with nothing but `extra_args` beyond that: TLS and the authentication
// plugin are binrelayd's defaults. Started at construction.
class mysql_relay {
 public:
  explicit mysql_relay(const mysql_server& primary, std::vector<std::string> extra_args = {});

  void start();
  int terminate() { return process_->terminate(); }
  std::uint16_t port() const { return port_; }
  const std::filesystem::path& data_dir() const { return data_dir_; }
  std::string log() const { return process_ ? process_->log() : std::string(); }
  child_process& process() { return *process_; }
  // Waits until the relay log holds the primary's last transaction; false on timeout.
  bool wait_caught_up(std::chrono::seconds timeout = std::chrono::seconds(60)) const;

 private:
  const mysql_server& primary_;
  std::vector<std::string> extra_args_;
  temp_dir dir_;
  std::uint16_t port_;
  std::filesystem::path data_dir_;
  std::unique_ptr<child_process> process_;
};

// CHANGE REPLICATION SOURCE TO binrelayd at `port` with SOURCE_AUTO_POSITION=1,
// GET_SOURCE_PUBLIC_KEY=1 and `extra` (", SOURCE_SSL=0"); START REPLICA.
void follow_mysql_relay(const mysql_server& replica, std::uint16_t port,
                        const std::string& extra = "");

// A field of SHOW REPLICA STATUS ("" when no replication is configured).
std::string replica_status(const mysql_server& replica, const std::string& field);

// Waits until the replica's gtid_executed contains `gtids`; false on timeout.
bool wait_replica_has(const mysql_server& replica, const std::string& gtids,
                      std::chrono::seconds timeout = std::chrono::seconds(60));

// Waits until the replica's Last_IO_Error is not empty; returns it ("" on timeout).
std::string wait_mysql_io_error(const mysql_server& replica,
                                std::chrono::seconds timeout = std::chrono::seconds(30));

// The MySQL 9.7 `mysql` client against 127.0.0.1:port: "mysql --no-defaults -h127.0.0.1
// -P<port> <flags> -e <sql>"; returns stdout and stderr together, and the exit status.
struct tool_output {
  int status = 0;
  std::string text;
};
tool_output run_mysql_tool(const std::string& command_line);
tool_output mysql_client(std::uint16_t port, const std::string& flags, const std::string& sql);
// ... as binrelayd's admin user.
tool_output mysql_admin(std::uint16_t port, const std::string& flags, const std::string& sql);

}  // namespace binrelay::test
