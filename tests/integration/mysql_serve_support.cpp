#include "integration/mysql_serve_support.h"

#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "integration/logged_transactions.h"
#include "support/mariadb_server.h"

namespace binrelay::test {
namespace fs = std::filesystem;

namespace {

std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string write_secret(const fs::path& file, const std::string& secret) {
  std::ofstream(file) << secret << "\n";
  return file.string();
}

}  // namespace

std::vector<std::string> mysql_serve_flags(const fs::path& dir, std::uint16_t port) {
  return {"--listen=127.0.0.1:" + std::to_string(port),
          std::string("--repl-user=") + mysql_repl_user,
          "--repl-password-file=" + write_secret(dir / "repl-pw", mysql_repl_password),
          "--admin-password-file=" + write_secret(dir / "admin-pw", mysql_admin_password)};
}

mysql_relay::mysql_relay(const mysql_server& primary, std::vector<std::string> extra_args)
    : primary_(primary),
      extra_args_(std::move(extra_args)),
      port_(free_port()),
      data_dir_(dir_.path() / "relay") {
  start();
  if (!process_->wait_for_log("SQL port listening", std::chrono::seconds(30)))
    throw std::runtime_error("binrelayd did not start serving:\n" + log());
}

void mysql_relay::start() {
  std::vector<std::string> args = {binrelayd_path().string(),
                                   "--upstream=127.0.0.1:" + std::to_string(primary_.port()),
                                   std::string("--upstream-user=") + mysql_server::user,
                                   "--server-id=4242",
                                   "--data-dir=" + data_dir_.string(),
                                   "--heartbeat-period-ms=500"};
  auto serve = mysql_serve_flags(dir_.path(), port_);
  args.insert(args.end(), serve.begin(), serve.end());
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  process_ = std::make_unique<child_process>(
      args, dir_.path() / "binrelayd.log",
      std::vector<std::string>{std::string("BINRELAY_UPSTREAM_PASSWORD=") +
                               mysql_server::password});
}

bool mysql_relay::wait_caught_up(std::chrono::seconds timeout) const {
  std::string target = read_transactions(primary_.binlog_files()).back().gtid;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      auto trx = read_transactions(relay_files(data_dir_));
      if (!trx.empty() && trx.back().gtid == target) return true;
    } catch (const std::exception&) {
      // a file may be mid-write; look again
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return false;
}

void follow_mysql_relay(const mysql_server& replica, std::uint16_t port, const std::string& extra) {
  replica.query(
      "CHANGE REPLICATION SOURCE TO SOURCE_HOST='127.0.0.1', SOURCE_PORT=" + std::to_string(port) +
      ", SOURCE_USER='" + mysql_repl_user + "', SOURCE_PASSWORD='" + mysql_repl_password +
      "', SOURCE_AUTO_POSITION=1, GET_SOURCE_PUBLIC_KEY=1, SOURCE_CONNECT_RETRY=1" + extra +
      "; START REPLICA");
}

std::string replica_status(const mysql_server& replica, const std::string& field) {
  auto rows = replica.rows_with_names("SHOW REPLICA STATUS");
  if (rows.size() < 2) return "";
  for (std::size_t i = 0; i < rows[0].size() && i < rows[1].size(); ++i) {
    if (rows[0][i] == field) return rows[1][i];
  }
  return "";
}

bool wait_replica_has(const mysql_server& replica, const std::string& gtids,
                      std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string check = "SELECT GTID_SUBSET('" + gtids + "', @@gtid_executed)";
  while (std::chrono::steady_clock::now() < deadline) {
    if (replica.scalar(check) == "1") return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return false;
}

std::string wait_mysql_io_error(const mysql_server& replica, std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::string e = replica_status(replica, "Last_IO_Error");
    if (!e.empty()) return e;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return "";
}

tool_output run_mysql_tool(const std::string& command_line) {
  std::string cmd =
      "chroot " + quoted(mysql_chroot().string()) + " sh -c " + quoted(command_line) + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) throw std::runtime_error("cannot run " + cmd);
  tool_output out;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.text.append(buf, n);
  int status = pclose(pipe);
  out.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

tool_output mysql_client(std::uint16_t port, const std::string& flags, const std::string& sql) {
  return run_mysql_tool("mysql --no-defaults --connect-timeout=10 -h127.0.0.1 -P" +
                        std::to_string(port) + " " + flags + " -e " + quoted(sql));
}

tool_output mysql_admin(std::uint16_t port, const std::string& flags, const std::string& sql) {
  return mysql_client(port, std::string("-uadmin -p") + mysql_admin_password + " " + flags, sql);
}

}  // namespace binrelay::test
