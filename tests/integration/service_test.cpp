// binrelayd run as a service (docs/operations.md): --version, config files, --pid-file,
// --log-file with SIGHUP after a rotation, SIGTERM timing, the data-directory lock naming its
// holder, systemd notifications, and a store made by binrelay-import served without
// --relay-log-name.

#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "integration/admin_client.h"
#include "integration/relay_harness.h"
#include "support/commands.h"
#include "support/fixtures.h"
#include "support/mariadb_server.h"
#include "support/processes.h"

using namespace binrelay;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const fs::path& p, const std::string& text, fs::perms mode = fs::perms(0600)) {
  std::ofstream(p) << text;
  fs::permissions(p, mode);
}

bool file_contains(const fs::path& p, const std::string& text, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (slurp(p).find(text) == std::string::npos) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

// binrelayd with `args`, its stdout+stderr in DIR/name.out; waited for by the caller.
std::unique_ptr<test::child_process> binrelayd(const test::temp_dir& dir, const std::string& name,
                                               std::vector<std::string> args,
                                               std::vector<std::string> env = {}) {
  args.insert(args.begin(), test::binrelayd_path().string());
  return std::make_unique<test::child_process>(args, dir.path() / (name + ".out"), env);
}

struct finished {
  int status;
  std::string output;
};

finished run_to_end(const test::temp_dir& dir, const std::string& name,
                    std::vector<std::string> args) {
  auto p = binrelayd(dir, name, std::move(args));
  int status = p->wait();
  return {status, p->log()};
}

}  // namespace

TEST_CASE("service: --version and -V print the version and exit 0 without --data-dir") {
  test::temp_dir dir;
  for (const char* flag : {"--version", "-V"}) {
    auto r = run_to_end(dir, flag, {flag});
    INFO(r.output);
    CHECK(r.status == 0);
    CHECK_THAT(r.output, Catch::Matches("binrelayd [0-9]+\\.[0-9]+\\.[0-9]+\n"));
  }
  auto help = run_to_end(dir, "help", {"--help"});
  CHECK(help.status == 0);
  CHECK_THAT(help.output, Catch::Contains("--pid-file") && Catch::Contains("--log-file") &&
                              Catch::Contains("--config") && Catch::Contains("--version"));
}

TEST_CASE("service: a config file error refuses to start naming the file and line") {
  test::temp_dir dir;
  fs::path cnf = dir.path() / "b.cnf";
  auto refused = [&](const std::string& body, const std::string& expected) {
    write_file(cnf, "[mysqld]\nport = 3306\n[binrelayd]\n" + body);
    auto r = run_to_end(dir, "refused", {"--config", cnf.string()});
    INFO(r.output);
    CHECK(r.status == 2);
    CHECK_THAT(r.output, Catch::Contains(cnf.string() + ":" + expected));
  };
  refused("data-dir = " + (dir.path() / "d").string() + "\nrelay-log-max-sise = 1000000\n",
          "5: unknown option 'relay-log-max-sise'");
  refused("admin-password = secret\n", "4: passwords are not read from config files");
  refused("log-level = verbose\n", "4: bad value for 'log-level'");
  auto missing = run_to_end(dir, "no-data-dir", {});
  CHECK(missing.status == 2);
  CHECK_THAT(missing.output, Catch::Contains("--data-dir is required"));
  auto no_port = run_to_end(
      dir, "no-port",
      {"--data-dir", (dir.path() / "d").string(), "--listen", "127.0.0.1", "--repl-user", "r"});
  CHECK(no_port.status != 0);
  CHECK_THAT(no_port.output, Catch::Contains("needs HOST:PORT, got '127.0.0.1'"));
  CHECK_FALSE(fs::exists(dir.path() / "d" / "relay-bin.index"));
}

TEST_CASE("service: a config file with my.cnf groups starts binrelayd following a primary") {
  test::mariadb_server primary;
  test::write_rows(primary, 0, 20);
  test::temp_dir dir;
  write_file(dir.path() / "upstream.pw", test::mariadb_server::password);
  fs::path cnf = dir.path() / "my.cnf";
  write_file(
      cnf,
      "[client]\nuser = someone\n\n[mysqld]\ninnodb_buffer_pool_size=64M\nskip-name-resolve\n"
      "[binrelayd]\n"
      "upstream = 127.0.0.1:" +
          std::to_string(primary.port()) +
          "\n"
          "upstream_user = " +
          test::mariadb_server::user +
          "  # trailing comment\n"
          "upstream-password-file = '" +
          (dir.path() / "upstream.pw").string() +
          "'\n"
          "server-id=4242\n"
          "; relay-log-max-size = 1\n"
          "relay-log-max-size = 100000\n"
          "data-dir = " +
          (dir.path() / "data").string() +
          "\n"
          "log-level = warn\n"
          "loose-option-of-a-later-version = 1\n",
      fs::perms(0644));
  // The command line wins over the file: info lines are logged.
  auto p = binrelayd(dir, "relay", {"--config", cnf.string(), "--log-level", "info"});
  REQUIRE(p->wait_for_log("connected to 127.0.0.1:" + std::to_string(primary.port()), 30s));
  std::string gtid = primary.scalar("SELECT @@gtid_binlog_pos");
  CHECK(p->terminate() == 0);
  std::string log = p->log();
  INFO(log);
  CHECK_THAT(log, Catch::Contains("retrieved GTIDs '" + gtid + "'; bye"));
  CHECK_THAT(log, Catch::Contains(cnf.string() + ":16: ignoring unknown option "
                                                 "'loose-option-of-a-later-version'"));
  CHECK(fs::exists(dir.path() / "data" / "relay-bin.000001"));
  CHECK_THAT(log, !Catch::Contains("IO thread started by the admin port"));
}

TEST_CASE("service: --pid-file names the daemon, SIGTERM stops it quickly and removes it") {
  test::mariadb_server primary;
  test::write_rows(primary, 0, 5);
  test::temp_dir dir;
  fs::path pid_file = dir.path() / "run" / "binrelayd.pid";
  fs::create_directory(dir.path() / "run");
  std::string port = std::to_string(primary.port());
  auto p = binrelayd(
      dir, "relay",
      {"--upstream", "127.0.0.1:" + port, "--upstream-user", "binrelay", "--server-id", "77",
       "--data-dir", (dir.path() / "data").string(), "--pid-file", pid_file.string()},
      {"BINRELAY_UPSTREAM_PASSWORD=binrelay-pw"});
  REQUIRE(p->wait_for_log("connected to", 30s));
  CHECK(slurp(pid_file) == std::to_string(p->pid()) + "\n");

  // A second daemon on the same directory is refused, naming the holder's pid.
  auto second = run_to_end(dir, "second", {"--data-dir", (dir.path() / "data").string()});
  CHECK(second.status == 1);
  CHECK_THAT(second.output, Catch::Contains("in use by another process (pid and program: " +
                                            std::to_string(p->pid()) + " binrelayd"));
  CHECK(slurp(pid_file) == std::to_string(p->pid()) + "\n");

  auto start = std::chrono::steady_clock::now();
  int status = p->terminate(20s);
  auto took = std::chrono::steady_clock::now() - start;
  INFO(p->log());
  CHECK(status == 0);
  CHECK(took < 5s);
  CHECK_FALSE(fs::exists(pid_file));
  CHECK_THAT(p->log(), Catch::Contains("received signal 15 (Terminated); stopping"));
}

TEST_CASE("service: SIGHUP reopens a rotated log file and reloads the config, never exiting") {
  test::temp_dir dir;
  fs::path cnf = dir.path() / "b.cnf";
  fs::path log = dir.path() / "binrelayd.log";
  std::string common = "[binrelayd]\ndata-dir = " + (dir.path() / "data").string() + "\n";
  write_file(cnf, common + "log-level = info\n");
  auto p = binrelayd(dir, "relay", {"--config", cnf.string(), "--log-file", log.string()});
  REQUIRE(file_contains(log, "ready: 0 file(s)", 20s));
  CHECK(p->log().empty());  // nothing on stderr: it is the log file now

  fs::rename(log, dir.path() / "binrelayd.log.1");
  write_file(cnf, common +
                      "log_level = debug\nretention-hours = 24\nretention-bytes = 1000000\n"
                      "sync = none\n");
  ::kill(p->pid(), SIGHUP);
  REQUIRE(file_contains(log,
                        "SIGHUP: log file reopened, settings reloaded: log-level info -> debug, "
                        "retention-hours 0 -> 24, retention-bytes 0 -> 1000000, only applied at "
                        "a restart: sync",
                        10s));
  CHECK(p->running());

  write_file(cnf, common + "log-level = loud\n");  // a bad edit keeps the running settings
  ::kill(p->pid(), SIGHUP);
  REQUIRE(file_contains(
      log, "SIGHUP: log file reopened, settings not reloaded, the running ones stay", 10s));
  CHECK_THAT(slurp(log), Catch::Contains(cnf.string() + ":3: bad value for 'log-level'"));
  for (int i = 0; i < 5; ++i) ::kill(p->pid(), SIGHUP);
  std::this_thread::sleep_for(300ms);
  CHECK(p->running());
  CHECK(p->terminate() == 0);
  CHECK_THAT(slurp(log), Catch::Contains("; bye"));
  CHECK_THAT(slurp(dir.path() / "binrelayd.log.1"),
             Catch::Contains("ready: 0 file(s)") && !Catch::Contains("SIGHUP"));
}

TEST_CASE("service: systemd gets READY=1, WATCHDOG=1 and STOPPING=1 on NOTIFY_SOCKET") {
  test::temp_dir dir;
  fs::path sock_path = dir.path() / "notify";
  int sock = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  REQUIRE(sock >= 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, sock_path.c_str(), sizeof addr.sun_path - 1);
  REQUIRE(::bind(sock, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  timeval tv{0, 200'000};
  ::setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  auto p = binrelayd(dir, "relay", {"--data-dir", (dir.path() / "data").string()},
                     {"NOTIFY_SOCKET=" + sock_path.string(), "WATCHDOG_USEC=400000"});
  std::string received;
  auto receive_until = [&](const std::string& text) {
    auto deadline = std::chrono::steady_clock::now() + 20s;
    while (received.find(text) == std::string::npos &&
           std::chrono::steady_clock::now() < deadline) {
      char buf[4096];
      auto n = ::recv(sock, buf, sizeof buf, 0);
      if (n > 0) received.append(buf, static_cast<std::size_t>(n)).append("|");
    }
    return received.find(text) != std::string::npos;
  };
  CHECK(receive_until("READY=1\nSTATUS=relay log 0 file(s)"));
  received.clear();
  CHECK(receive_until("WATCHDOG=1|WATCHDOG=1|"));
  ::kill(p->pid(), SIGTERM);
  CHECK(receive_until("STOPPING=1"));
  CHECK(p->wait() == 0);
  ::close(sock);
}

TEST_CASE("service: a store made by binrelay-import is served without --relay-log-name") {
  test::temp_dir dir;
  fs::path store = dir.path() / "store";
  const std::string std_data = "enhancedformysql__mysql-8.0.40/mysql-test/std_data/";
  test::child_process import(
      {test::import_path().string(), "--data-dir", store.string(),
       (test::fixtures_dir() / (std_data + "replicated-bin.000001")).string()},
      dir.path() / "import.out");
  REQUIRE(import.wait() == 0);
  auto p = binrelayd(dir, "relay", {"--data-dir", store.string()});
  REQUIRE(p->wait_for_log("ready:", 20s));
  CHECK(p->terminate() == 0);
  INFO(p->log());
  CHECK_THAT(p->log(), Catch::Contains("relay log name 'replicated-bin' from its index file") &&
                           Catch::Contains((store / "replicated-bin").string() + " ready:"));
  CHECK_FALSE(fs::exists(store / "relay-bin.index"));
}

// A stop that arrives while admin clients are mid-query (over TLS: the generated certificate)
// must end with status 0 every time: once binrelayd crashed here (a stop's cancellation reached
// a finished admin answer) and once it hung (an answer waited for a main loop that had ended).
TEST_CASE("service: SIGTERM while admin clients query over TLS always stops cleanly") {
  test::temp_dir dir;
  write_file(dir.path() / "admin-password", "Adm1n-pw\n");
  for (int round = 0; round < 6; ++round) {
    std::uint16_t port = test::free_port();
    auto p = binrelayd(dir, "relay" + std::to_string(round),
                       {"--data-dir", (dir.path() / "data").string(), "--server-id", "77",
                        "--listen", "127.0.0.1:" + std::to_string(port), "--admin-user", "admin",
                        "--admin-password-file", (dir.path() / "admin-password").string()});
    test::admin_client client(
        port, "admin", "Adm1n-pw", [&p] { return p->log(); }, "--ssl");
    REQUIRE(client.wait_listening());
    std::atomic<int> answered{0};
    std::vector<std::thread> clients;
    for (int c = 0; c < 3; ++c) {
      clients.emplace_back([&client, &answered] {
        try {
          for (int q = 0; q < 100; ++q) {
            client.sql("SHOW SLAVE STATUS; SELECT 1");
            ++answered;
          }
        } catch (const std::exception&) {  // the stop closed this session: expected
        }
      });
    }
    while (answered < 2 * round + 1) std::this_thread::sleep_for(5ms);  // stops at varied points
    auto start = std::chrono::steady_clock::now();
    int status = p->terminate(20s);
    for (auto& t : clients) t.join();
    INFO("round " << round << "; log:\n" << p->log());
    CHECK(status == 0);
    CHECK(std::chrono::steady_clock::now() - start < 5s);
  }
}
