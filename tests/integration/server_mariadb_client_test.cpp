// The server side against the real `mariadb` command-line client: binrelay's listener answers
// a fixed pair of queries, and the client's output and exit status are what an operator sees.

#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "protocol/server_errors.h"
#include "protocol/server_listener.h"
#include "protocol/server_result_set.h"
#include "unit/protocol/server_test_support.h"

using namespace binrelay;
using namespace binrelay::protocol;
namespace asio = boost::asio;

namespace {

constexpr const char* admin_password = "Adm1n-pw";

// SELECT 1 and SELECT @@version; ERR 1235 for anything else.
asio::awaitable<void> fixed_handler(server_connection& c) {
  while (true) {
    auto command = co_await c.read_command();
    if (!command) co_return;
    auto sql = parse_com_query(*command);
    std::optional<query_result> answer;
    if (sql && *sql == "SELECT 1") {
      result_set rs({integer_column("1")});
      rs.add_row({"1"});
      answer = rs.release();
    } else if (sql && *sql == "SELECT @@version") {
      result_set rs({text_column("@@version")});
      rs.add_row({"8.0.36-binrelay"});
      answer = rs.release();
    }
    bool sent = false;
    if (answer) {
      sent = bool(co_await c.send_result_set(*answer));
    } else {
      auto err = not_supported_yet(sql ? std::string(*sql) : "this command");
      sent = bool(co_await c.send_err(err));
    }
    if (!sent) co_return;
  }
}

// A listener on its own thread for the lifetime of the object.
class running_server {
 public:
  explicit running_server(server_options options)
      : context_(std::move(options)), listener_(io_.get_executor(), {}, context_, fixed_handler) {
    asio::co_spawn(io_, listener_.run(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~running_server() {
    asio::post(io_, [this] { listener_.stop(); });
    thread_.join();
  }
  std::uint16_t port() const { return listener_.port(); }

 private:
  asio::io_context io_;
  server_context context_;
  server_listener listener_;
  std::thread thread_;
};

struct command_output {
  int exit_status = -1;
  std::string text;  // stdout and stderr
};

command_output run(const std::string& command) {
  command_output out;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  REQUIRE(pipe);
  std::array<char, 4096> buffer{};
  while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) {
    out.text.append(buffer.data(), n);
  }
  int status = pclose(pipe);
  out.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

command_output mariadb(std::uint16_t port, const std::string& password, const std::string& sql,
                       const std::string& extra = "") {
  return run("mariadb --no-defaults --connect-timeout=5 -h127.0.0.1 -P" + std::to_string(port) +
             " -uadmin -p'" + password + "' " + extra + " -e '" + sql + "'");
}

server_options admin_only(std::string plugin) {
  server_options o;
  o.default_auth_plugin = plugin;
  o.accounts = {{"admin", admin_password, plugin}};
  return o;
}

}  // namespace

TEST_CASE("server with the mariadb client: native password, SELECT 1 and @@version") {
  running_server server(admin_only("mysql_native_password"));
  auto one = mariadb(server.port(), admin_password, "SELECT 1");
  CHECK(one.exit_status == 0);
  CHECK(one.text == "1\n1\n");
  auto version = mariadb(server.port(), admin_password, "SELECT @@version", "-N");
  CHECK(version.exit_status == 0);
  CHECK(version.text == "8.0.36-binrelay\n");
}

TEST_CASE("server with the mariadb client: wrong password prints MySQL's access denied") {
  running_server server(admin_only("mysql_native_password"));
  auto denied = mariadb(server.port(), "not-the-password", "SELECT 1");
  CHECK(denied.exit_status == 1);
  CHECK_THAT(denied.text, Catch::Contains("ERROR 1045 (28000): Access denied for user "
                                          "'admin'@'127.0.0.1' (using password: YES)"));
}

TEST_CASE("server with the mariadb client: unsupported statements are ERR 1235") {
  running_server server(admin_only("mysql_native_password"));
  auto refused = mariadb(server.port(), admin_password, "SHOW PROCESSLIST");
  CHECK(refused.exit_status == 1);
  CHECK_THAT(refused.text, Catch::Contains("ERROR 1235 (42000) at line 1: This version of "
                                           "binrelay doesn't yet support 'SHOW PROCESSLIST'"));
}

TEST_CASE("server with the mariadb client: caching_sha2_password over TLS, then the fast path") {
  test::throwaway_certificate cert;
  auto options = admin_only("caching_sha2_password");
  options.tls_cert_file = cert.cert_file();
  options.tls_key_file = cert.key_file();
  running_server server(options);
  auto tls =
      mariadb(server.port(), admin_password, "SELECT 1", "-N --ssl --ssl-verify-server-cert=0");
  CHECK(tls.exit_status == 0);
  CHECK(tls.text == "1\n");
  auto fast = mariadb(server.port(), admin_password, "SELECT 1", "-N --skip-ssl");
  CHECK(fast.exit_status == 0);
  CHECK(fast.text == "1\n");
  auto wrong = mariadb(server.port(), "wrong", "SELECT 1", "-N --ssl --ssl-verify-server-cert=0");
  CHECK(wrong.exit_status == 1);
  CHECK_THAT(wrong.text, Catch::Contains("ERROR 1045 (28000): Access denied for user "
                                         "'admin'@'127.0.0.1' (using password: YES)"));
}

TEST_CASE("server with the mariadb client: caching_sha2_password over plain TCP uses RSA") {
  test::throwaway_certificate cert;
  auto options = admin_only("caching_sha2_password");
  options.rsa_private_key_file = cert.key_file();
  running_server server(options);
  auto plain = mariadb(server.port(), admin_password, "SELECT 1", "-N --skip-ssl");
  CHECK(plain.exit_status == 0);
  CHECK(plain.text == "1\n");
}
