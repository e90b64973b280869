#include "support/mysql_server.h"

#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/commands.h"

extern char** environ;

namespace binrelay::test {
namespace fs = std::filesystem;

namespace {

fs::path on_host(const fs::path& inside) {
  return mysql_chroot() / inside.relative_path();
}

// A fresh data directory inside the chroot's /tmp (host path returned).
fs::path make_temp_dir(const std::string& prefix) {
  std::string tmpl = (on_host("/tmp") / (prefix + "XXXXXX")).string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed in " + tmpl);
  return fs::path(tmpl);
}

// mysqld --initialize-insecure takes seconds; its result is kept in the chroot's /tmp, one per
// mysqld binary, built under a private name and renamed into place (as the MariaDB template).
const fs::path& template_datadir() {
  static std::once_flag once;
  static fs::path dir;  // inside the chroot
  std::call_once(once, [] {
    fs::path mysqld = on_host("/usr/sbin/mysqld");
    auto stamp = fs::last_write_time(mysqld).time_since_epoch().count();
    std::string name = "binrelay-mysql-template-" + std::to_string(fs::file_size(mysqld)) + "-" +
                       std::to_string(stamp);
    fs::path final_inside = fs::path("/tmp") / name;
    if (fs::exists(on_host(final_inside / "data" / "mysql.ibd"))) {
      dir = final_inside / "data";
      return;
    }
    fs::path host_tmp = make_temp_dir("binrelay-mysql-template-build-");
    fs::path inside = fs::path("/tmp") / host_tmp.filename();
    run_in_mysql_chroot("mysqld --no-defaults --initialize-insecure --user=root --datadir=" +
                        (inside / "data").string() + " > " + (inside / "install.log").string() +
                        " 2>&1");
    std::error_code ec;
    fs::rename(host_tmp, on_host(final_inside), ec);
    if (ec) fs::remove_all(host_tmp, ec);
    dir = final_inside / "data";
  });
  return dir;
}

}  // namespace

fs::path mysql_chroot() {
  const char* env = getenv("BINRELAY_MYSQL_CHROOT");
  fs::path dir = env && *env ? fs::path(env) : fs::path("/opt/binrelay-mysql-sid");
  if (!fs::exists(dir / "usr/sbin/mysqld")) {
    throw std::runtime_error("no MySQL 9.7 chroot at " + dir.string() +
                             "; build it with scripts/mysql-chroot.sh");
  }
  if (!fs::exists(dir / "proc/self")) {
    throw std::runtime_error("/proc is not mounted in " + dir.string() +
                             "; run scripts/mysql-chroot.sh");
  }
  return dir;
}

std::string run_in_mysql_chroot(const std::string& cmd) {
  return run_command("chroot " + shell_quote(mysql_chroot().string()) + " sh -c " +
                     shell_quote(cmd));
}

mysql_server::mysql_server(mysql_options options) : options_(std::move(options)) {
  fs::path host_root = make_temp_dir("binrelay-mysql-");
  root_ = fs::path("/tmp") / host_root.filename();
  datadir_ = root_ / "data";
  run_command("cp -a " + shell_quote(on_host(template_datadir()).string()) + " " +
              shell_quote(on_host(datadir_).string()));
  // Without the template's auto.cnf each server makes its own server_uuid (equal uuids stop
  // replication between two of them).
  fs::remove(on_host(datadir_ / "auto.cnf"));
  port_ = free_port();
  start();
  query(std::string("CREATE USER IF NOT EXISTS '") + user + "'@'%' IDENTIFIED BY '" + password +
        "'; GRANT ALL ON *.* TO '" + user + "'@'%' WITH GRANT OPTION;");
}

mysql_server::~mysql_server() {
  try {
    if (running()) stop();
  } catch (...) {
  }
  std::error_code ec;
  fs::remove_all(on_host(root_), ec);
}

void mysql_server::start() {
  std::vector<std::string> args = {
      "chroot",
      mysql_chroot().string(),
      "mysqld",
      "--no-defaults",
      "--user=root",
      "--datadir=" + datadir_.string(),
      "--socket=" + socket_path().string(),
      "--pid-file=" + (root_ / "mysqld.pid").string(),
      "--log-error=" + (root_ / "error.log").string(),
      "--port=" + std::to_string(port_),
      "--bind-address=127.0.0.1",
      "--mysqlx=OFF",
      "--secure-file-priv=",
      "--server-id=" + std::to_string(options_.server_id),
      "--skip-name-resolve",
      "--innodb-buffer-pool-size=128M",
      "--innodb-flush-log-at-trx-commit=2",
      "--sync-binlog=0",
      "--max-connections=500",
      "--max-allowed-packet=1G",
      "--performance-schema=OFF",
  };
  if (options_.log_bin) {
    args.push_back("--log-bin=" + (datadir_ / "binlog").string());
    args.push_back("--binlog-format=ROW");
  } else {
    args.push_back("--skip-log-bin");
  }
  if (options_.gtid_mode) {
    args.push_back("--gtid-mode=ON");
    args.push_back("--enforce-gtid-consistency=ON");
  }
  for (const auto& a : options_.extra_args) args.push_back(a);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid;
  if (posix_spawnp(&pid, "chroot", nullptr, nullptr, argv.data(), environ) != 0) {
    throw std::runtime_error("cannot spawn mysqld in " + mysql_chroot().string());
  }
  pid_ = pid;
  wait_ready();
}

void mysql_server::wait_ready() {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
  while (std::chrono::steady_clock::now() < deadline) {
    int status;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      std::ifstream log(error_log());
      std::string text((std::istreambuf_iterator<char>(log)), {});
      throw std::runtime_error("mysqld exited during startup:\n" + text);
    }
    if (fs::exists(on_host(socket_path()))) {
      try {
        query("SELECT 1");
        return;
      } catch (const std::exception&) {
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  throw std::runtime_error("mysqld did not become ready within 90 s; see " + error_log().string());
}

void mysql_server::stop() {
  signal_and_reap(pid_, SIGTERM);
}

void mysql_server::kill9() {
  signal_and_reap(pid_, SIGKILL);
}

std::string mysql_server::client(const std::string& flags, const std::string& sql) const {
  return run_in_mysql_chroot("mysql --no-defaults -uroot " + flags +
                             " --socket=" + socket_path().string() + " -e " + shell_quote(sql));
}

std::string mysql_server::query(const std::string& sql) const {
  return client("-N -B", sql);
}

std::vector<std::vector<std::string>> mysql_server::rows(const std::string& sql) const {
  return split_tab_rows(query(sql));
}

std::vector<std::vector<std::string>> mysql_server::rows_with_names(const std::string& sql) const {
  return split_tab_rows(client("-B", sql));
}

std::string mysql_server::scalar(const std::string& sql) const {
  auto r = rows(sql);
  return r.empty() || r[0].empty() ? std::string() : r[0][0];
}

std::vector<fs::path> mysql_server::binlog_files() const {
  std::vector<fs::path> out;
  std::ifstream index(on_host(datadir_ / "binlog.index"));
  std::string line;
  while (std::getline(index, line)) {
    if (line.empty()) continue;
    fs::path p(line);
    out.push_back(on_host(p.is_absolute() ? p : datadir_ / p));
  }
  return out;
}

}  // namespace binrelay::test
