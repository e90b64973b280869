#include <catch2/catch.hpp>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "protocol/auth.h"
#include "protocol/connection.h"
#include "protocol/constants.h"
#include "protocol/response_packets.h"
#include "unit/protocol/fake_server.h"
#include "unit/protocol/hex.h"

using namespace binrelay;
using namespace binrelay::protocol;
using namespace binrelay::test;
namespace asio = boost::asio;

namespace {

constexpr const char* secret = "s3cret-pw";

connection_options options_for(std::uint16_t port) {
  connection_options o;
  o.port = port;
  o.user = "repl";
  o.password = secret;
  o.connect_timeout = std::chrono::milliseconds(2000);
  o.read_timeout = std::chrono::milliseconds(2000);
  return o;
}

// Runs `server` against a client that connects and authenticates; returns the client's result.
result<void> connect_against(script server, connection_options tweak(connection_options) = nullptr,
                             bool rethrow_server_errors = false) {
  result<void> outcome = make_error(errc::corrupt, "not run");
  scripted_exchange exchange(std::move(server));
  exchange.run(
      [&](std::uint16_t port) -> asio::awaitable<void> {
        connection c(co_await asio::this_coro::executor);
        auto o = options_for(port);
        if (tweak) o = tweak(o);
        outcome = co_await c.connect_and_authenticate(o);
      },
      rethrow_server_errors);
  return outcome;
}

std::vector<std::uint8_t> ok() {
  return build_ok_packet({});
}

}  // namespace

TEST_CASE("connection: native password authentication and a query") {
  std::string sent_sql;
  scripted_exchange exchange([&](peer& p) -> asio::awaitable<void> {
    auto greeting = mariadb_greeting();
    auto response = co_await p.handshake(greeting);
    CHECK(response.user == "repl");
    CHECK(response.auth_plugin_name == "mysql_native_password");
    CHECK(response.auth_response == native_password_scramble(secret, greeting.scramble));
    CHECK_FALSE(response.capabilities & cap::ssl);
    {
      auto packet = ok();
      co_await p.send(packet);
    }
    auto q = co_await p.receive();
    sent_sql = std::string(*parse_com_query(q));
    co_await p.answer(single_value("@@server_id", "7"), false);
  });
  exchange.run([&](std::uint16_t port) -> asio::awaitable<void> {
    connection c(co_await asio::this_coro::executor);
    auto r = co_await c.connect_and_authenticate(options_for(port));
    REQUIRE(r);
    CHECK(c.greeting().is_mariadb());
    auto answer = co_await c.query("SELECT @@server_id");
    REQUIRE(answer);
    REQUIRE(answer->rows.size() == 1);
    CHECK(answer->rows[0][0] == "7");
  });
  CHECK(sent_sql == "SELECT @@server_id");
}

TEST_CASE("connection: ERR instead of a greeting is a server error") {
  auto r = connect_against([](peer& p) -> asio::awaitable<void> {
    {
      auto packet = build_err_packet({1040, "", "Too many connections"});
      co_await p.send(packet);
    }
  });
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::server_error);
  CHECK(r.error().server_errno == 1040);
  CHECK_THAT(r.error().message, Catch::Contains("Too many connections"));
}

TEST_CASE("connection: refused authentication names server and user, never the password") {
  std::uint16_t port = 0;
  auto r = connect_against(
      [&](peer& p) -> asio::awaitable<void> {
        co_await p.handshake(mariadb_greeting());
        {
          auto packet = build_err_packet(
              {1045, "28000", "Access denied for user 'repl'@'localhost' (using password: YES)"});
          co_await p.send(packet);
        }
      },
      [](connection_options o) { return o; });
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::auth_failed);
  CHECK(r.error().server_errno == 1045);
  CHECK_THAT(r.error().message,
             Catch::Matches("server 127\\.0\\.0\\.1:[0-9]+ refused authentication for user 'repl': "
                            "ERROR 1045 \\(28000\\): Access denied for user 'repl'@'localhost' "
                            "\\(using password: YES\\)"));
  CHECK_THAT(r.error().message, !Catch::Contains(secret));
  (void)port;
}

TEST_CASE("connection: a server insisting on secure transport says TLS is required") {
  auto r = connect_against([](peer& p) -> asio::awaitable<void> {
    co_await p.handshake(mariadb_greeting());
    {
      auto packet = build_err_packet({3159, "08004",
                                      "Connections using insecure transport are prohibited "
                                      "while --require_secure_transport=ON."});
      co_await p.send(packet);
    }
  });
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::auth_failed);
  CHECK_THAT(r.error().message, Catch::Contains("requires TLS"));
}

TEST_CASE("connection: TLS required but not offered fails before sending credentials") {
  bool got_response = false;
  auto r = connect_against(
      [&](peer& p) -> asio::awaitable<void> {
        co_await p.handshake(mariadb_greeting());
        got_response = true;
      },
      [](connection_options o) {
        o.tls.mode = tls_mode::required;
        return o;
      });
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::unsupported);
  CHECK_THAT(r.error().message, Catch::Contains("does not offer TLS, but TLS is required"));
  CHECK_FALSE(got_response);
}

TEST_CASE("connection: a truncated packet followed by close is errc::closed") {
  auto r = connect_against([](peer& p) -> asio::awaitable<void> {
    co_await p.send_raw(from_hex("64000000 0a352e"));  // announces 100 bytes, sends 3
    p.close();
  });
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::closed);
  CHECK_THAT(r.error().message, Catch::Contains("closed the connection"));
}

TEST_CASE("connection: an oversized packet is refused from its header") {
  auto r = connect_against(
      [](peer& p) -> asio::awaitable<void> {
        co_await p.handshake(mariadb_greeting());
        co_await p.send_raw(from_hex("a00f0002"));  // 4000-byte OK announced
        asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::seconds(1));
        co_await t.async_wait(asio::use_awaitable);
      },
      [](connection_options o) {
        o.max_packet_size = 1000;
        return o;
      });
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::too_large);
}

TEST_CASE("connection: a wrong sequence id is a protocol error") {
  auto r = connect_against([](peer& p) -> asio::awaitable<void> {
    co_await p.handshake(mariadb_greeting());
    p.sequence = 5;  // the client expects 2
    {
      auto packet = ok();
      co_await p.send(packet);
    }
  });
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::protocol_error);
  CHECK_THAT(r.error().message, Catch::Contains("sequence id 5 where 2 was expected"));
}

TEST_CASE("connection: a silent server times out") {
  auto r = connect_against(
      [](peer&) -> asio::awaitable<void> {
        asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::milliseconds(600));
        co_await t.async_wait(asio::use_awaitable);
      },
      [](connection_options o) {
        o.connect_timeout = std::chrono::milliseconds(150);
        return o;
      });
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::timed_out);
}

TEST_CASE("connection: AuthSwitchRequest to native password with a new scramble") {
  auto fresh = from_hex("1112131415161718191a1b1c1d1e1f2021222324");
  auto r = connect_against(
      [&](peer& p) -> asio::awaitable<void> {
        auto greeting = mysql8_greeting();
        auto response = co_await p.handshake(greeting);
        CHECK(response.auth_plugin_name == "caching_sha2_password");
        CHECK(response.auth_response == caching_sha2_scramble(secret, greeting.scramble));
        {
          auto packet = build_auth_switch_request({"mysql_native_password", fresh});
          co_await p.send(packet);
        }
        auto answer = co_await p.receive();
        CHECK(answer == native_password_scramble(secret, fresh));
        {
          auto packet = ok();
          co_await p.send(packet);
        }
      },
      nullptr, true);
  CHECK(r);
}

TEST_CASE("connection: caching_sha2_password fast authentication") {
  auto r = connect_against([](peer& p) -> asio::awaitable<void> {
    co_await p.handshake(mysql8_greeting());
    {
      auto packet = build_auth_more_data(from_hex("03"));
      co_await p.send(packet);
    }
    {
      auto packet = ok();
      co_await p.send(packet);
    }
  });
  CHECK(r);
}

TEST_CASE("connection: caching_sha2_password full authentication over RSA") {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_RSA_gen(2048), &EVP_PKEY_free);
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  PEM_write_bio_PUBKEY(bio.get(), key.get());
  char* pem_data = nullptr;
  // Its own statement: BIO_get_mem_data sets pem_data, and argument order is unspecified.
  const long pem_size = BIO_get_mem_data(bio.get(), &pem_data);
  std::string pem(pem_data, std::size_t(pem_size));

  std::string decrypted;
  auto server = [&](peer& p) -> asio::awaitable<void> {
    auto greeting = mysql8_greeting();
    co_await p.handshake(greeting);
    {
      auto packet = build_auth_more_data(from_hex("04"));
      co_await p.send(packet);
    }
    auto next = co_await p.receive();
    if (next == std::vector<std::uint8_t>{0x02}) {
      {
        auto packet = build_auth_more_data(as_bytes(pem));
        co_await p.send(packet);
      }
      next = co_await p.receive();
    }
    std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
        EVP_PKEY_CTX_new(key.get(), nullptr), &EVP_PKEY_CTX_free);
    EVP_PKEY_decrypt_init(ctx.get());
    EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING);
    std::vector<std::uint8_t> plain(256);
    std::size_t n = plain.size();
    REQUIRE(EVP_PKEY_decrypt(ctx.get(), plain.data(), &n, next.data(), next.size()) == 1);
    for (std::size_t i = 0; i < n; ++i)
      decrypted.push_back(char(plain[i] ^ greeting.scramble[i % 20]));
    {
      auto packet = ok();
      co_await p.send(packet);
    }
  };
  SECTION("requesting the key from the server") {
    auto r = connect_against(
        server,
        [](connection_options o) {
          o.allow_public_key_request = true;
          return o;
        },
        true);
    CHECK(r);
    CHECK(decrypted == std::string(secret) + '\0');
  }
  SECTION("with the configured key") {
    static std::string configured;
    configured = pem;
    auto r = connect_against(
        server,
        [](connection_options o) {
          o.server_public_key_pem = configured;
          return o;
        },
        true);
    CHECK(r);
    CHECK(decrypted == std::string(secret) + '\0');
  }
  SECTION("without TLS or a key the client refuses to continue") {
    auto r = connect_against(server);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::auth_failed);
    CHECK_THAT(r.error().message, Catch::Contains("full caching_sha2_password"));
  }
}

TEST_CASE("connection: a result row over 16 MiB is reassembled") {
  std::string big(max_frame_payload + 100, 'z');
  scripted_exchange exchange([&](peer& p) -> asio::awaitable<void> {
    co_await p.handshake(mariadb_greeting());
    {
      auto packet = ok();
      co_await p.send(packet);
    }
    co_await p.receive();
    co_await p.answer(single_value("v", big), false);
  });
  exchange.run([&](std::uint16_t port) -> asio::awaitable<void> {
    connection c(co_await asio::this_coro::executor);
    auto connected = co_await c.connect_and_authenticate(options_for(port));
    REQUIRE(connected);
    auto answer = co_await c.query("SELECT big");
    REQUIRE(answer);
    CHECK(answer->rows.at(0).at(0) == big);
  });
}

TEST_CASE("connection: a query ERR keeps the connection usable") {
  scripted_exchange exchange([&](peer& p) -> asio::awaitable<void> {
    co_await p.handshake(mariadb_greeting());
    {
      auto packet = ok();
      co_await p.send(packet);
    }
    co_await p.receive();
    {
      auto packet = build_err_packet({1193, "HY000", "Unknown system variable 'nope'"});
      co_await p.send(packet);
    }
    co_await p.receive();
    {
      auto packet = ok();
      co_await p.send(packet);
    }
  });
  exchange.run([&](std::uint16_t port) -> asio::awaitable<void> {
    connection c(co_await asio::this_coro::executor);
    auto connected = co_await c.connect_and_authenticate(options_for(port));
    REQUIRE(connected);
    auto bad = co_await c.query("SELECT @@nope");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == errc::server_error);
    CHECK(bad.error().server_errno == 1193);
    CHECK(c.is_open());
    auto good = co_await c.query("DO 1");
    CHECK(good);
  });
}

TEST_CASE("connection: a counted batch reads every answer whatever its more-results flag says") {
  // MariaDB answers a BINLOG statement without SERVER_MORE_RESULTS_EXISTS even when more
  // statements of the batch follow: only the count can tell where the answer ends.
  scripted_exchange exchange([&](peer& p) -> asio::awaitable<void> {
    co_await p.handshake(mariadb_greeting());
    {
      auto packet = ok();
      co_await p.send(packet);
    }
    co_await p.receive();
    for (std::uint16_t flags : {status::more_results_exist, std::uint16_t(0), std::uint16_t(0)}) {
      ok_packet o;
      o.status_flags = flags;
      o.affected_rows = 1;
      auto packet = build_ok_packet(o);
      co_await p.send(packet);
    }
  });
  exchange.run([&](std::uint16_t port) -> asio::awaitable<void> {
    connection c(co_await asio::this_coro::executor);
    auto o = options_for(port);
    o.multi_statements = true;
    auto connected = co_await c.connect_and_authenticate(o);
    INFO((connected ? std::string() : connected.error().describe()));
    REQUIRE(connected);
    auto r = co_await c.query_batch("SET @a=1;BINLOG 'x';COMMIT", 3);
    REQUIRE(r);
    CHECK(r->results.size() == 3);
    CHECK_FALSE(r->failure);
    CHECK(c.buffered_bytes() == 0);
  });
}

TEST_CASE("connection: a counted batch that an error ends early is still read at once") {
  // The reader waits for the bytes the whole answer would take (SO_RCVLOWAT); an ERR makes the
  // answer shorter, and the wait must not outlast a short grace period.
  scripted_exchange exchange([&](peer& p) -> asio::awaitable<void> {
    co_await p.handshake(mariadb_greeting());
    {
      auto packet = ok();
      co_await p.send(packet);
    }
    co_await p.receive();
    ok_packet first;
    first.status_flags = status::more_results_exist;
    auto packet = build_ok_packet(first);
    co_await p.send(packet);
    auto err = build_err_packet({1032, "HY000", "Can't find record in 'a'"});
    co_await p.send(err);
  });
  exchange.run([&](std::uint16_t port) -> asio::awaitable<void> {
    connection c(co_await asio::this_coro::executor);
    auto o = options_for(port);
    o.multi_statements = true;
    auto connected = co_await c.connect_and_authenticate(o);
    REQUIRE(connected);
    auto start = std::chrono::steady_clock::now();
    auto r = co_await c.query_batch("SET @a=1;BINLOG 'x';COMMIT;SET @b=1;COMMIT", 5);
    auto waited = std::chrono::steady_clock::now() - start;
    REQUIRE(r);
    CHECK(r->results.size() == 1);
    REQUIRE(r->failure);
    CHECK(r->failure->server_errno == 1032);
    CHECK(waited < std::chrono::seconds(1));
    CHECK(c.is_open());
  });
}
