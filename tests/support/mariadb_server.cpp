#include "support/mariadb_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace binrelay::test {
namespace fs = std::filesystem;

namespace {

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

// mariadb-install-db takes seconds, so its result is kept in /tmp and copied for each server.
// One template per mariadbd binary (named by its size and mtime), shared by every test
// process: built under a private name and renamed into place, so concurrent builders never
// see a half-written one (the loser of the rename race removes its copy).
fs::path build_template(const fs::path& final_dir) {
  char tmpl[] = "/tmp/binrelay-mariadb-template-XXXXXX";
  if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  fs::path dir(tmpl);
  run_command(
      "mariadb-install-db --no-defaults --user=root --auth-root-authentication-method=socket"
      " --skip-test-db --datadir=" +
      shell_quote((dir / "data").string()) + " > " + shell_quote((dir / "install.log").string()) +
      " 2>&1");
  std::error_code ec;
  fs::rename(dir, final_dir, ec);
  if (ec) fs::remove_all(dir, ec);  // another process won the race; use its template
  return final_dir / "data";
}

const fs::path& template_datadir() {
  static std::once_flag once;
  static fs::path dir;
  std::call_once(once, [] {
    std::string mariadbd = run_command("command -v mariadbd");
    while (!mariadbd.empty() && mariadbd.back() == '\n') mariadbd.pop_back();
    auto stamp = fs::last_write_time(mariadbd).time_since_epoch().count();
    fs::path final_dir = fs::temp_directory_path() /
                         ("binrelay-mariadb-template-" + std::to_string(fs::file_size(mariadbd)) +
                          "-" + std::to_string(stamp));
    dir = fs::exists(final_dir / "data" / "mysql") ? final_dir / "data" : build_template(final_dir);
  });
  return dir;
}

}  // namespace

std::string run_command(const std::string& cmd) {
  char errtmpl[] = "/tmp/binrelay-cmd-err-XXXXXX";
  int fd = mkstemp(errtmpl);
  if (fd < 0) throw std::runtime_error("mkstemp failed");
  close(fd);
  std::string full = "(" + cmd + ") 2>" + errtmpl;
  FILE* p = popen(full.c_str(), "r");
  if (!p) throw std::runtime_error("popen failed: " + cmd);
  std::string out;
  char buf[65536];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int status = pclose(p);
  std::ifstream errf(errtmpl);
  std::string err((std::istreambuf_iterator<char>(errf)), {});
  unlink(errtmpl);
  if (status != 0) {
    throw std::runtime_error("command failed (" + std::to_string(WEXITSTATUS(status)) +
                             "): " + cmd + "\n" + err);
  }
  return out;
}

std::uint16_t free_port() {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(s);
    throw std::runtime_error("bind failed");
  }
  socklen_t len = sizeof addr;
  getsockname(s, reinterpret_cast<sockaddr*>(&addr), &len);
  close(s);
  return ntohs(addr.sin_port);
}

mariadb_server::mariadb_server(mariadb_options options) : options_(std::move(options)) {
  char tmpl[] = "/tmp/binrelay-mariadb-XXXXXX";
  if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  root_ = tmpl;
  datadir_ = root_ / "data";
  run_command("cp -a " + shell_quote(template_datadir().string()) + " " +
              shell_quote(datadir_.string()));
  port_ = options_.port != 0 ? options_.port : free_port();
  start();
  query(std::string("CREATE USER IF NOT EXISTS '") + user + "'@'%' IDENTIFIED BY '" + password +
        "'; GRANT ALL ON *.* TO '" + user + "'@'%' WITH GRANT OPTION;");
}

mariadb_server::~mariadb_server() {
  try {
    if (running()) stop();
  } catch (...) {
  }
  std::error_code ec;
  fs::remove_all(root_, ec);
}

void mariadb_server::start() {
  std::vector<std::string> args = options_.launcher;
  args.insert(args.end(), {
                              "mariadbd",
                              "--no-defaults",
                              "--user=root",
                              "--datadir=" + datadir_.string(),
                              "--socket=" + socket_path().string(),
                              "--pid-file=" + (datadir_ / "mysqld.pid").string(),
                              "--log-error=" + (root_ / "error.log").string(),
                              "--port=" + std::to_string(port_),
                              "--bind-address=" + options_.bind_address,
                              "--server-id=" + std::to_string(options_.server_id),
                              "--skip-name-resolve",
                              "--innodb-buffer-pool-size=128M",
                              "--innodb-flush-log-at-trx-commit=2",
                              "--max-connections=500",
                              "--max-allowed-packet=1G",
                          });
  if (options_.log_bin) {
    args.push_back("--log-bin=" + (datadir_ / "mysql-bin").string());
    args.push_back("--binlog-format=ROW");
  }
  for (const auto& a : options_.extra_args) args.push_back(a);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid;
  if (posix_spawnp(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0) {
    throw std::runtime_error("cannot spawn mariadbd (is mariadb-server installed?)");
  }
  pid_ = pid;
  wait_ready();
}

void mariadb_server::wait_ready() {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    int status;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      std::ifstream log(root_ / "error.log");
      std::string text((std::istreambuf_iterator<char>(log)), {});
      throw std::runtime_error("mariadbd exited during startup:\n" + text);
    }
    try {
      query("SELECT 1");
      return;
    } catch (const std::exception&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  throw std::runtime_error("mariadbd did not become ready within 60 s");
}

void mariadb_server::stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  int status;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

void mariadb_server::kill9() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::string mariadb_server::query(const std::string& sql) const {
  return run_command("mariadb --no-defaults -uroot -N -B --socket=" +
                     shell_quote(socket_path().string()) + " -e " + shell_quote(sql));
}

std::vector<std::vector<std::string>> mariadb_server::rows(const std::string& sql) const {
  std::vector<std::vector<std::string>> out;
  std::istringstream in(query(sql));
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::string cur;
    for (char c : line) {
      if (c == '\t') {
        fields.push_back(cur);
        cur.clear();
      } else {
        cur.push_back(c);
      }
    }
    fields.push_back(cur);
    out.push_back(std::move(fields));
  }
  return out;
}

std::string mariadb_server::scalar(const std::string& sql) const {
  auto r = rows(sql);
  return r.empty() || r[0].empty() ? std::string() : r[0][0];
}

std::vector<fs::path> mariadb_server::binlog_files() const {
  std::vector<fs::path> out;
  std::ifstream index(datadir_ / "mysql-bin.index");
  std::string line;
  while (std::getline(index, line)) {
    if (line.empty()) continue;
    fs::path p(line);
    out.push_back(p.is_absolute() ? p : datadir_ / p);
  }
  return out;
}

}  // namespace binrelay::test
