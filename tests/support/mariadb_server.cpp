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
  signal_and_reap(pid_, SIGTERM);
}

void mariadb_server::kill9() {
  signal_and_reap(pid_, SIGKILL);
}

std::string mariadb_server::query(const std::string& sql) const {
  return run_command("mariadb --no-defaults -uroot -N -B --socket=" +
                     shell_quote(socket_path().string()) + " -e " + shell_quote(sql));
}

std::vector<std::vector<std::string>> mariadb_server::rows(const std::string& sql) const {
  return split_tab_rows(query(sql));
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
