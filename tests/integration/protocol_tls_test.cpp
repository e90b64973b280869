#include <catch2/catch.hpp>

#include <filesystem>

#include <boost/asio/this_coro.hpp>

#include "integration/protocol_support.h"
#include "integration/test_pki.h"
#include "protocol/connection.h"

using namespace binrelay;
using namespace binrelay::protocol;
using namespace binrelay::test;
namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {

struct tls_server {
  test_pki pki;
  mariadb_server server{mariadb_options{
      1,
      true,
      {"--ssl-cert=" + pki.file("server.pem"), "--ssl-key=" + pki.file("server.key"),
       "--ssl-ca=" + pki.file("ca.pem"), "--require-secure-transport=ON"}}};
};

tls_server& shared_tls_server() {
  static tls_server s;
  return s;
}

result<void> try_connect(connection_options o, std::string* tls_version = nullptr) {
  result<void> outcome = make_error(errc::corrupt, "not run");
  run_client([&]() -> asio::awaitable<void> {
    connection c(co_await asio::this_coro::executor);
    outcome = co_await c.connect_and_authenticate(o);
    if (outcome && tls_version) {
      auto r = co_await c.query("SHOW SESSION STATUS LIKE 'Ssl_version'");
      REQUIRE(r);
      CHECK(c.tls_active());
      *tls_version = r->rows.at(0).at(1).value_or("");
    }
  });
  return outcome;
}

}  // namespace

TEST_CASE("protocol: a client without TLS is told the server requires it") {
  auto& s = shared_tls_server();
  auto o = options_for(s.server);
  o.tls.mode = tls_mode::disabled;
  auto r = try_connect(o);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::auth_failed);
  // MariaDB 10.11 answers with a bare 1045; the client adds why.
  CHECK_THAT(r.error().message, Catch::Contains("ERROR 1045 (28000): Access denied"));
  CHECK_THAT(r.error().message, Catch::Contains("requires TLS"));
}

TEST_CASE("protocol: TLS with a verified server certificate") {
  auto& s = shared_tls_server();
  auto o = options_for(s.server);
  o.tls.mode = tls_mode::required;
  o.tls.ca_file = s.pki.file("ca.pem");
  o.tls.verify_server_cert = true;
  std::string version;
  auto r = try_connect(o, &version);
  REQUIRE(r);
  CHECK_THAT(version, Catch::StartsWith("TLSv1."));
}

TEST_CASE("protocol: TLS preferred upgrades without verification") {
  auto& s = shared_tls_server();
  std::string version;
  auto r = try_connect(options_for(s.server), &version);
  REQUIRE(r);
  CHECK_FALSE(version.empty());
}

TEST_CASE("protocol: a server certificate from another CA fails verification") {
  auto& s = shared_tls_server();
  auto o = options_for(s.server);
  o.tls.mode = tls_mode::required;
  o.tls.ca_file = s.pki.file("other-ca.pem");
  o.tls.verify_server_cert = true;
  auto r = try_connect(o);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::io_error);
  CHECK_THAT(r.error().message, Catch::Contains("TLS handshake with 127.0.0.1:"));
  CHECK_THAT(r.error().message, Catch::Contains("certificate verify failed"));
}
