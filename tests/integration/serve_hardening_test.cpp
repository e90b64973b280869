// binrelayd's serving port against hostile or careless clients before they log in
// (docs/security.md): an oversized handshake packet is refused from its header, handshakes
// past --max-unauthenticated are refused, the admin keeps a slot past --max-connections,
// client text cannot forge or flood a log line, an account without a password refuses to
// start, and a wrong-password flood from one address is throttled while others log in.
// The clients are raw sockets speaking the protocol through binrelay's codecs, and the real
// `mariadb` client.

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "integration/admin_client.h"
#include "protocol/auth.h"
#include "protocol/constants.h"
#include "protocol/handshake.h"
#include "protocol/handshake_response.h"
#include "protocol/packet_framing.h"
#include "protocol/response_packets.h"
#include "support/mariadb_server.h"
#include "support/processes.h"

using namespace binrelay;
using namespace binrelay::test;
using namespace std::chrono_literals;

namespace {

constexpr const char* repl_password = "Repl-pw-7";
constexpr const char* admin_password = "Adm1n-pw-7";

// binrelayd serving an empty relay log (serve-only) with a repl and an admin account.
class hardened_daemon {
 public:
  explicit hardened_daemon(std::vector<std::string> extra = {}) : port_(free_port()) {
    std::ofstream(dir_.path() / "repl-pw") << repl_password << "\n";
    std::ofstream(dir_.path() / "admin-pw") << admin_password << "\n";
    std::vector<std::string> args = {
        binrelayd_path().string(),
        "--data-dir=" + (dir_.path() / "relay").string(),
        "--listen=127.0.0.1:" + std::to_string(port_),
        "--repl-user=repl",
        "--repl-password-file=" + (dir_.path() / "repl-pw").string(),
        "--admin-user=admin",
        "--admin-password-file=" + (dir_.path() / "admin-pw").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    process_ = std::make_unique<child_process>(args, dir_.path() / "binrelayd.log");
    REQUIRE(process_->wait_for_log("SQL port listening", 30s));
  }
  std::uint16_t port() const { return port_; }
  std::string log() const { return process_->log(); }
  child_process& process() { return *process_; }
  admin_client admin() const {
    return admin_client(port_, "admin", admin_password, [this] { return log(); });
  }
  // VmRSS of binrelayd in KiB.
  long rss_kib() const {
    std::ifstream in("/proc/" + std::to_string(process_->pid()) + "/status");
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    }
    return -1;
  }

 private:
  temp_dir dir_;
  std::uint16_t port_;
  std::unique_ptr<child_process> process_;
};

// A blocking TCP socket to 127.0.0.1:port, from `source` (e.g. "127.0.0.2") when given.
class raw_client {
 public:
  raw_client(std::uint16_t port, const char* source = nullptr) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd_ >= 0);
    if (source) {
      sockaddr_in local{};
      local.sin_family = AF_INET;
      ::inet_pton(AF_INET, source, &local.sin_addr);
      REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) == 0);
    }
    sockaddr_in remote{};
    remote.sin_family = AF_INET;
    remote.sin_port = htons(port);
    ::inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr);
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&remote), sizeof remote) == 0);
  }
  ~raw_client() { ::close(fd_); }
  raw_client(const raw_client&) = delete;
  raw_client& operator=(const raw_client&) = delete;

  // Sends what it can of `bytes`; false once the peer closed.
  bool send(const std::vector<std::uint8_t>& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      auto n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += std::size_t(n);
    }
    return true;
  }
  bool send_packet(std::uint8_t sequence, const std::vector<std::uint8_t>& payload) {
    std::vector<std::uint8_t> frame;
    protocol::append_frames(frame, payload, sequence);
    return send(frame);
  }
  // The next payload; empty when the connection closed or nothing came within `timeout`.
  std::vector<std::uint8_t> read_packet(std::chrono::milliseconds timeout = 5s) {
    std::uint8_t header[4];
    if (!read_exact(header, 4, timeout)) return {};
    std::size_t length = header[0] | (header[1] << 8) | (header[2] << 16);
    std::vector<std::uint8_t> payload(length);
    if (!read_exact(payload.data(), length, timeout)) return {};
    return payload;
  }
  // True when the peer closes within `timeout` (bytes before the close are skipped).
  bool closed_within(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::uint8_t sink[4096];
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      auto n = ::recv(fd_, sink, sizeof sink, 0);
      if (n <= 0) return true;
    }
    return false;
  }

 private:
  bool read_exact(std::uint8_t* into, std::size_t n, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::size_t got = 0;
    while (got < n) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      pollfd p{fd_, POLLIN, 0};
      if (left.count() <= 0 || ::poll(&p, 1, int(left.count())) <= 0) return false;
      auto r = ::recv(fd_, into + got, n - got, 0);
      if (r <= 0) return false;
      got += std::size_t(r);
    }
    return true;
  }
  int fd_ = -1;
};

std::uint16_t err_code(const std::vector<std::uint8_t>& payload) {
  if (!protocol::is_err_packet(payload)) return 0;
  auto err = protocol::parse_err_packet(payload);
  return err ? err->error_code : 0;
}

std::string err_message(const std::vector<std::uint8_t>& payload) {
  auto err = protocol::parse_err_packet(payload);
  return err ? err->message : std::string();
}

// A HandshakeResponse as the mariadb client sends it, for `user` with `password` scrambled
// by mysql_native_password.
std::vector<std::uint8_t> login_response(const std::vector<std::uint8_t>& greeting_payload,
                                         const std::string& user, const std::string& password) {
  auto greeting = protocol::parse_handshake_v10(greeting_payload);
  REQUIRE(greeting);
  protocol::handshake_response r;
  r.capabilities = protocol::cap::protocol_41 | protocol::cap::secure_connection |
                   protocol::cap::plugin_auth | protocol::cap::long_password |
                   protocol::cap::transactions;
  r.charset = 45;
  r.user = user;
  r.auth_response = protocol::native_password_scramble(password, greeting->scramble);
  r.auth_plugin_name = "mysql_native_password";
  return protocol::build_handshake_response(r);
}

// Logs in over `c`; the final answer's payload (OK or ERR), or an ERR in place of the greeting.
std::vector<std::uint8_t> raw_login(raw_client& c, const std::string& user,
                                    const std::string& password) {
  auto greeting = c.read_packet();
  if (greeting.empty() || protocol::is_err_packet(greeting)) return greeting;
  if (!c.send_packet(1, login_response(greeting, user, password))) return {};
  return c.read_packet();
}

bool log_has_line_starting(const std::string& log, const std::string& prefix) {
  std::istringstream in(log);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

std::size_t longest_line(const std::string& log) {
  std::istringstream in(log);
  std::string line;
  std::size_t longest = 0;
  while (std::getline(in, line)) longest = std::max(longest, line.size());
  return longest;
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE(
    "serve hardening: a handshake packet announcing 16 MiB is refused with ERR 1153 "
    "from its header and 20 such clients leave binrelayd's memory small",
    "[serve][hardening]") {
  hardened_daemon d;
  long before = d.rss_kib();
  std::vector<std::unique_ptr<raw_client>> clients;
  std::vector<std::uint8_t> bulk(1 << 20, 'x');
  for (int i = 0; i < 20; ++i) {
    auto c = std::make_unique<raw_client>(d.port());
    REQUIRE_FALSE(c->read_packet().empty());
    // A header claiming 0xFFFFFF bytes, then as much as the server takes of 1 MiB.
    std::vector<std::uint8_t> header = {0xFF, 0xFF, 0xFF, 1};
    REQUIRE(c->send(header));
    (void)c->send(bulk);
    clients.push_back(std::move(c));
  }
  auto start = std::chrono::steady_clock::now();
  // The ERR may be lost to the reset the close sends over the unread bytes: then the
  // connection is simply closed.
  int answered = 0;
  for (auto& c : clients) {
    auto answer = c->read_packet(2s);
    CHECK((answer.empty() || err_code(answer) == 1153));
    answered += err_code(answer) == 1153;
    CHECK(c->closed_within(2s));
  }
  auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(elapsed < 5s);
  long after = d.rss_kib();
  std::fprintf(stderr,
               "oversized handshake: binrelayd VmRSS %ld KiB before, %ld KiB after 20 "
               "clients (%d read the ERR 1153)\n",
               before, after, answered);
  CHECK(after - before < 16 * 1024);
  auto log = d.log();
  CHECK(count_of(log, "before login") == 20);  // once per connection
  CHECK(d.admin().sql("SELECT VERSION()").find("VERSION()") != std::string::npos);
}

TEST_CASE(
    "serve hardening: handshakes past --max-unauthenticated get ERR 1040, a login "
    "works once they are gone",
    "[serve][hardening]") {
  hardened_daemon d({"--max-unauthenticated=8"});
  std::vector<std::unique_ptr<raw_client>> idle;
  for (int i = 0; i < 8; ++i) {
    idle.push_back(std::make_unique<raw_client>(d.port()));
    auto greeting = idle.back()->read_packet();
    REQUIRE(protocol::is_err_packet(greeting) == false);
    REQUIRE_FALSE(greeting.empty());
  }
  // Each waits 2 s for a handshake slot, then is refused.
  for (int i = 0; i < 2; ++i) {
    raw_client extra(d.port());
    auto answer = extra.read_packet();
    CHECK(err_code(answer) == 1040);
    CHECK(extra.closed_within(2s));
  }
  CHECK(count_of(d.log(), "refusing connections") == 1);
  idle.clear();
  auto admin = d.admin();
  REQUIRE(admin.wait_listening());
  CHECK(admin.sql("SELECT VERSION()").find("VERSION()") != std::string::npos);
}

TEST_CASE(
    "serve hardening: with --max-connections replicas logged in the admin still logs "
    "in with the mariadb client and one more replica gets ERR 1040",
    "[serve][hardening]") {
  hardened_daemon d({"--max-connections=5"});
  std::vector<std::unique_ptr<raw_client>> replicas;
  for (int i = 0; i < 5; ++i) {
    replicas.push_back(std::make_unique<raw_client>(d.port()));
    auto answer = raw_login(*replicas.back(), "repl", repl_password);
    INFO(d.log());
    REQUIRE(protocol::is_ok_packet(answer));
  }
  raw_client sixth(d.port());
  auto refused = raw_login(sixth, "repl", repl_password);
  CHECK(err_code(refused) == 1040);
  CHECK(err_message(refused) == "Too many connections");
  CHECK(d.admin().sql("SELECT VERSION()").find("VERSION()") != std::string::npos);
  // The admin's session has ended: its reserved slot is free again, the replicas' are not.
  raw_client seventh(d.port());
  CHECK(err_code(raw_login(seventh, "repl", repl_password)) == 1040);
  replicas.pop_back();
  bool admitted = false;
  for (int i = 0; i < 50 && !admitted; ++i) {
    raw_client again(d.port());
    admitted = protocol::is_ok_packet(raw_login(again, "repl", repl_password));
    if (!admitted) std::this_thread::sleep_for(100ms);
  }
  CHECK(admitted);
}

TEST_CASE("serve hardening: a user name with a newline cannot forge a log line",
          "[serve][hardening]") {
  hardened_daemon d;
  raw_client c(d.port());
  std::string forged = "2026-01-01T00:00:00.000Z ERROR forged by a client";
  auto answer = raw_login(c, "evil\n" + forged, "x");
  CHECK(err_code(answer) == 1045);
  CHECK(err_message(answer).find('\n') == std::string::npos);
  REQUIRE(d.process().wait_for_log("access denied for user 'evil\\n2026", 5s));
  CHECK_FALSE(log_has_line_starting(d.log(), forged));
}

TEST_CASE("serve hardening: a huge user name gives a short log line and a short ERR message",
          "[serve][hardening]") {
  hardened_daemon d;
  raw_client c(d.port());
  auto answer = raw_login(c, std::string(15000, 'u'), "x");
  CHECK(err_code(answer) == 1045);
  CHECK(err_message(answer).size() < 200);
  CHECK(err_message(answer).find("...(15000 bytes)") != std::string::npos);
  REQUIRE(d.process().wait_for_log("...(15000 bytes)", 5s));
  CHECK(longest_line(d.log()) < 400);
}

TEST_CASE(
    "serve hardening: --repl-user without a password refuses to start unless "
    "--allow-empty-password",
    "[serve][hardening]") {
  temp_dir dir;
  std::vector<std::string> args = {
      binrelayd_path().string(), "--data-dir=" + (dir.path() / "relay").string(),
      "--listen=127.0.0.1:" + std::to_string(free_port()), "--repl-user=repl"};
  {
    child_process refused(args, dir.path() / "refused.log");
    CHECK(refused.wait() != 0);
    CHECK(refused.log().find("user 'repl' has no password") != std::string::npos);
  }
  std::ofstream(dir.path() / "empty") << "";
  {
    auto with_empty_file = args;
    with_empty_file.push_back("--repl-password-file=" + (dir.path() / "empty").string());
    child_process refused(with_empty_file, dir.path() / "refused-empty.log");
    CHECK(refused.wait() != 0);
    CHECK(refused.log().find("has no password") != std::string::npos);
  }
  {
    auto admin_args = args;
    admin_args.back() = "--admin-user=boss";
    child_process refused(admin_args, dir.path() / "refused-admin.log");
    CHECK(refused.wait() != 0);
    CHECK(refused.log().find("user 'boss' has no password") != std::string::npos);
  }
  args.push_back("--allow-empty-password");
  child_process allowed(args, dir.path() / "allowed.log");
  REQUIRE(allowed.wait_for_log("SQL port listening", 30s));
  CHECK(allowed.log().find("user 'repl' logs in WITHOUT a password") != std::string::npos);
  CHECK(allowed.terminate() == 0);
}

TEST_CASE(
    "serve hardening: a wrong-password flood from one address is throttled while a "
    "login from another address works",
    "[serve][hardening]") {
  hardened_daemon d({"--login-failure-limit=5", "--login-block-seconds=60"});
  int denied = 0;
  int blocked = 0;
  int other = 0;
  auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < 2s && denied + blocked + other < 4000) {
    raw_client c(d.port(), "127.0.0.2");
    auto answer = raw_login(c, "repl", "wrong");
    switch (err_code(answer)) {
      case 1045:
        ++denied;
        break;
      case 1129:
        ++blocked;
        break;
      default:
        ++other;
    }
  }
  auto flood_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  std::fprintf(stderr,
               "login flood from 127.0.0.2: %d attempts in %lld ms: %d denied (1045), %d blocked "
               "(1129), %d other\n",
               denied + blocked + other, static_cast<long long>(flood_ms.count()), denied, blocked,
               other);
  CHECK(denied == 5);
  CHECK(blocked > 1000);
  CHECK(other == 0);
  // The right password from the blocked address is refused too, from another one it works.
  raw_client from_blocked(d.port(), "127.0.0.2");
  CHECK(err_code(raw_login(from_blocked, "repl", repl_password)) == 1129);
  raw_client from_other(d.port(), "127.0.0.3");
  CHECK(protocol::is_ok_packet(raw_login(from_other, "repl", repl_password)));
  CHECK(d.admin().sql("SELECT VERSION()").find("VERSION()") != std::string::npos);
  auto log = d.log();
  CHECK(count_of(log, "refusing logins from 127.0.0.2") == 1);
  CHECK(count_of(log, "access denied for user 'repl'") == 5);
}
