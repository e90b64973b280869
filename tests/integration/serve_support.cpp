#include "integration/serve_support.h"

#include <fstream>
#include <sstream>
#include <thread>

namespace binrelay::test {

std::vector<std::string> serving_args(std::uint16_t port, const std::filesystem::path& dir) {
  auto file = dir / "repl-password";
  std::ofstream(file) << repl_password << "\n";
  return {"--listen=127.0.0.1:" + std::to_string(port), std::string("--repl-user=") + repl_user,
          "--repl-password-file=" + file.string()};
}

void follow_relay(const mariadb_server& replica, std::uint16_t port) {
  replica.query("CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + std::to_string(port) +
                ", MASTER_USER='" + repl_user + "', MASTER_PASSWORD='" + repl_password +
                "', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1; START SLAVE");
}

std::string slave_status(const mariadb_server& replica, const std::string& field) {
  std::istringstream in(replica.query("SHOW SLAVE STATUS\\G"));
  std::string line;
  std::string key = field + ": ";
  while (std::getline(in, line)) {
    auto at = line.find(key);
    if (at == std::string::npos) continue;
    if (line.find_first_not_of(' ') != at) continue;
    return line.substr(at + key.size());
  }
  return "";
}

bool wait_replica_at(const mariadb_server& replica, const std::string& gtid_pos,
                     std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (replica.scalar("SELECT @@gtid_slave_pos") == gtid_pos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return false;
}

std::string wait_io_error(const mariadb_server& replica, const std::string& text,
                          std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string last;
  while (std::chrono::steady_clock::now() < deadline) {
    last = slave_status(replica, "Last_IO_Error");
    if (last.find(text) != std::string::npos) return last;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return last;
}

std::map<std::string, std::string> table_checksums(const mariadb_server& server,
                                                   const std::string& database) {
  std::map<std::string, std::string> out;
  auto tables = server.rows("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA='" +
                            database + "' AND TABLE_TYPE='BASE TABLE' ORDER BY TABLE_NAME");
  for (const auto& t : tables) {
    auto rows = server.rows("CHECKSUM TABLE `" + database + "`.`" + t[0] + "`");
    out[t[0]] = rows.empty() || rows[0].size() < 2 ? "?" : rows[0][1];
  }
  return out;
}

std::string replica_report(const mariadb_server& replica) {
  return "gtid_slave_pos=" + replica.scalar("SELECT @@gtid_slave_pos") + "\n" +
         replica.query("SHOW SLAVE STATUS\\G");
}

}  // namespace binrelay::test
