#include "integration/serve_support.h"

#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace binrelay::test {

std::vector<std::string> serving_args(std::uint16_t port, const std::filesystem::path& dir) {
  auto file = dir / "repl-password";
  std::ofstream(file) << repl_password << "\n";
  return {"--listen=127.0.0.1:" + std::to_string(port), std::string("--repl-user=") + repl_user,
          "--repl-password-file=" + file.string()};
}

namespace {

std::vector<std::string> with_serving_args(std::uint16_t port, const std::filesystem::path& dir,
                                           std::vector<std::string> extra) {
  auto args = serving_args(port, dir);
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

}  // namespace

serving_relay::serving_relay(const mariadb_server& primary, std::vector<std::string> extra_args,
                             int rows)
    : port(free_port()),
      relay(primary, with_serving_args(port, scratch.path(), std::move(extra_args))) {
  relay.start();
  if (rows > 0) write_rows(primary, 0, rows);
  if (!relay.wait_caught_up())
    throw std::runtime_error("binrelayd did not catch up:\n" + relay.log());
}

void follow_relay(const mariadb_server& replica, std::uint16_t port, const std::string& extra) {
  replica.query("CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + std::to_string(port) +
                ", MASTER_USER='" + repl_user + "', MASTER_PASSWORD='" + repl_password +
                "', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1" + extra + "; START SLAVE");
}

namespace {

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out(1);
  for (char c : line) {
    if (c == '\t') {
      out.emplace_back();
    } else {
      out.back().push_back(c);
    }
  }
  return out;
}

}  // namespace

std::string slave_status(const mariadb_server& replica, const std::string& field) {
  // With column names (mariadb_server::query() leaves them out): a header line, a value line.
  std::istringstream in(run_command("mariadb --no-defaults -uroot -B --socket=" +
                                    replica.socket_path().string() + " -e 'SHOW SLAVE STATUS'"));
  std::string header;
  std::string values;
  std::getline(in, header);
  std::getline(in, values);
  auto names = split_tabs(header);
  auto fields = split_tabs(values);
  for (std::size_t i = 0; i < names.size() && i < fields.size(); ++i) {
    if (names[i] == field) return fields[i];
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
  auto tables =
      server.rows("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA='" +
                  database + "' AND TABLE_TYPE='BASE TABLE' ORDER BY TABLE_NAME");
  for (const auto& t : tables) {
    auto rows = server.rows("CHECKSUM TABLE `" + database + "`.`" + t[0] + "`");
    out[t[0]] = rows.empty() || rows[0].size() < 2 ? "?" : rows[0][1];
  }
  return out;
}

std::string replica_report(const mariadb_server& replica) {
  std::string report = "gtid_slave_pos=" + replica.scalar("SELECT @@gtid_slave_pos");
  for (const char* f :
       {"Slave_IO_State", "Slave_IO_Running", "Slave_SQL_Running", "Using_Gtid", "Gtid_IO_Pos",
        "Master_Log_File", "Read_Master_Log_Pos", "Last_IO_Error", "Last_SQL_Error"}) {
    report += std::string("\n") + f + ": " + slave_status(replica, f);
  }
  return report;
}

std::string file_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string without_in_use_flag(std::string bytes) {
  constexpr std::size_t fde_flags_offset = 4 + 17;  // magic, then the FDE header's flags
  if (bytes.size() > fde_flags_offset) bytes[fde_flags_offset] &= ~char(1);
  return bytes;
}

}  // namespace binrelay::test
