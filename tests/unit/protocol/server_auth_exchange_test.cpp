#include <catch2/catch.hpp>

#include "protocol/auth.h"
#include "protocol/auth_exchange.h"
#include "protocol/constants.h"
#include "protocol/response_packets.h"
#include "protocol/server_auth_exchange.h"
#include "unit/protocol/hex.h"
#include "unit/protocol/server_test_support.h"

using namespace binrelay;
using namespace binrelay::protocol;
using namespace binrelay::test;

namespace {

using outcome = server_auth_step::outcome;

std::vector<std::uint8_t> scramble_1_to_20() {
  std::vector<std::uint8_t> s;
  for (std::uint8_t i = 1; i <= 20; ++i) s.push_back(i);
  return s;
}

struct conversation {
  outcome server = outcome::more;
  std::vector<std::vector<std::uint8_t>> server_packets;  // everything the server sent
  bool client_done = false;
  std::string client_error;
  std::string user;
};

// Plays the existing client state machine (auth_exchange.h) against server_auth.
conversation converse(server_auth_context ctx, client_auth_options client_options,
                      std::string_view greeting_plugin) {
  conversation c;
  client_auth client(client_options);
  handshake_response response;
  response.capabilities = cap::protocol_41 | cap::plugin_auth | cap::secure_connection;
  response.user = client_options.user;
  response.auth_response = client.initial_response(greeting_plugin, ctx.scramble);
  response.auth_plugin_name = client.plugin();
  server_auth server(std::move(ctx));
  auto step = server.start(response);
  for (int round = 0; round < 10; ++round) {
    std::optional<std::vector<std::uint8_t>> reply;
    for (auto& packet : step.replies) {
      c.server_packets.push_back(packet);
      auto s = client.on_packet(packet);
      if (!s) {
        c.client_error = s.error().message;
        break;
      }
      if (s->next == auth_step::action::done) c.client_done = true;
      if (s->next == auth_step::action::send) reply = s->reply;
    }
    c.server = step.next;
    if (step.next != outcome::more || !reply) break;
    step = server.on_packet(*reply);
  }
  if (c.server == outcome::accepted) c.user = server.user();
  return c;
}

server_auth_context context_for(const std::vector<server_account>& accounts) {
  server_auth_context ctx;
  ctx.accounts = &accounts;
  ctx.scramble = scramble_1_to_20();
  ctx.client_host = "10.0.0.9";
  return ctx;
}

client_auth_options client(std::string user, std::string password) {
  client_auth_options o;
  o.user = std::move(user);
  o.password = std::move(password);
  o.server_name = "binrelay:3306";
  return o;
}

std::vector<std::uint8_t> ok_bytes() {
  return from_hex("00 00 00 0200 0000");
}

const std::string denied_repl_yes =
    "Access denied for user 'repl'@'10.0.0.9' (using password: YES)";

std::string err_message(const std::vector<std::uint8_t>& packet) {
  auto err = parse_err_packet(packet);
  REQUIRE(err);
  CHECK(err->error_code == 1045);
  CHECK(err->sql_state == "28000");
  return err->message;
}

}  // namespace

TEST_CASE("server_auth_exchange: native password accepted in one round trip") {
  std::vector<server_account> accounts = {{"repl", "pw", "mysql_native_password"}};
  auto c = converse(context_for(accounts), client("repl", "pw"), "mysql_native_password");
  CHECK(c.server == outcome::accepted);
  CHECK(c.client_done);
  CHECK(c.user == "repl");
  REQUIRE(c.server_packets.size() == 1);
  CHECK(c.server_packets[0] == ok_bytes());
}

TEST_CASE("server_auth_exchange: wrong native password is ERR 1045 in MySQL's words") {
  std::vector<server_account> accounts = {{"repl", "pw", "mysql_native_password"}};
  auto c = converse(context_for(accounts), client("repl", "wrong"), "mysql_native_password");
  CHECK(c.server == outcome::refused);
  REQUIRE(c.server_packets.size() == 1);
  CHECK(err_message(c.server_packets[0]) == denied_repl_yes);
  CHECK_FALSE(c.client_error.empty());
}

TEST_CASE("server_auth_exchange: unknown user is refused like a wrong password") {
  std::vector<server_account> accounts = {{"repl", "pw", "mysql_native_password"}};
  auto c = converse(context_for(accounts), client("nobody", "pw"), "mysql_native_password");
  CHECK(c.server == outcome::refused);
  REQUIRE(c.server_packets.size() == 1);
  CHECK(err_message(c.server_packets[0]) ==
        "Access denied for user 'nobody'@'10.0.0.9' (using password: YES)");
}

TEST_CASE("server_auth_exchange: missing password says 'using password: NO'") {
  std::vector<server_account> accounts = {{"repl", "pw", "mysql_native_password"}};
  auto c = converse(context_for(accounts), client("repl", ""), "mysql_native_password");
  CHECK(c.server == outcome::refused);
  REQUIRE(c.server_packets.size() == 1);
  CHECK(err_message(c.server_packets[0]) ==
        "Access denied for user 'repl'@'10.0.0.9' (using password: NO)");
}

TEST_CASE("server_auth_exchange: an account without password accepts only an empty one") {
  std::vector<server_account> accounts = {{"open", "", "caching_sha2_password"}};
  CHECK(converse(context_for(accounts), client("open", ""), "caching_sha2_password").server ==
        outcome::accepted);
  CHECK(converse(context_for(accounts), client("open", "x"), "caching_sha2_password").server ==
        outcome::refused);
}

TEST_CASE("server_auth_exchange: a client on the other plugin is switched with the same scramble") {
  std::vector<server_account> accounts = {{"repl", "pw", "mysql_native_password"}};
  auto c = converse(context_for(accounts), client("repl", "pw"), "caching_sha2_password");
  CHECK(c.server == outcome::accepted);
  CHECK(c.client_done);
  REQUIRE(c.server_packets.size() == 2);
  auto expected_switch = from_hex("fe");
  for (char ch : std::string("mysql_native_password")) expected_switch.push_back(std::uint8_t(ch));
  expected_switch.push_back(0);
  auto scramble = scramble_1_to_20();
  expected_switch.insert(expected_switch.end(), scramble.begin(), scramble.end());
  expected_switch.push_back(0);
  CHECK(c.server_packets[0] == expected_switch);
  CHECK(c.server_packets[1] == ok_bytes());
}

TEST_CASE("server_auth_exchange: caching_sha2 full auth over TLS, then the fast path") {
  std::vector<server_account> accounts = {{"repl", "pw", "caching_sha2_password"}};
  login_cache cache;
  auto ctx = context_for(accounts);
  ctx.secure_transport = true;
  ctx.cache = &cache;
  auto tls_client = client("repl", "pw");
  tls_client.secure_transport = true;

  auto full = converse(ctx, tls_client, "caching_sha2_password");
  CHECK(full.server == outcome::accepted);
  CHECK(full.client_done);
  REQUIRE(full.server_packets.size() == 2);
  CHECK(full.server_packets[0] == from_hex("01 04"));
  CHECK(cache.find("repl").has_value());

  ctx.secure_transport = false;
  ctx.scramble[3] = 'x';  // a new connection, a new scramble
  auto fast = converse(ctx, client("repl", "pw"), "caching_sha2_password");
  CHECK(fast.server == outcome::accepted);
  CHECK(fast.client_done);
  REQUIRE(fast.server_packets.size() == 2);
  CHECK(fast.server_packets[0] == from_hex("01 03"));
  CHECK(fast.server_packets[1] == ok_bytes());

  // A wrong scramble misses the cache: the server asks for full authentication, which this
  // client (no TLS, no key) cannot give.
  auto wrong = converse(ctx, client("repl", "pW"), "caching_sha2_password");
  CHECK(wrong.server == outcome::more);
  CHECK(wrong.server_packets.back() == from_hex("01 04"));
  CHECK_THAT(wrong.client_error, Catch::Contains("requires full caching_sha2_password"));
}

TEST_CASE("server_auth_exchange: caching_sha2 wrong password over TLS is refused and not cached") {
  std::vector<server_account> accounts = {{"repl", "pw", "caching_sha2_password"}};
  login_cache cache;
  auto ctx = context_for(accounts);
  ctx.secure_transport = true;
  ctx.cache = &cache;
  auto tls_client = client("repl", "nope");
  tls_client.secure_transport = true;
  auto c = converse(ctx, tls_client, "caching_sha2_password");
  CHECK(c.server == outcome::refused);
  REQUIRE(c.server_packets.size() == 2);
  CHECK(err_message(c.server_packets[1]) == denied_repl_yes);
  CHECK_FALSE(cache.find("repl").has_value());
}

TEST_CASE("server_auth_exchange: caching_sha2 over plain TCP sends the public key, reads RSA") {
  throwaway_certificate cert;
  auto key = rsa_private_key::from_pem(cert.key_pem());
  REQUIRE(key);
  std::vector<server_account> accounts = {{"repl", "pw", "caching_sha2_password"}};
  login_cache cache;
  auto ctx = context_for(accounts);
  ctx.rsa_key = *key;
  ctx.cache = &cache;
  auto plain_client = client("repl", "pw");
  plain_client.allow_public_key_request = true;

  auto c = converse(ctx, plain_client, "caching_sha2_password");
  CHECK(c.server == outcome::accepted);
  CHECK(c.client_done);
  REQUIRE(c.server_packets.size() == 3);
  CHECK(c.server_packets[0] == from_hex("01 04"));
  CHECK(c.server_packets[1] == build_auth_more_data(as_bytes((*key)->public_key_pem())));
  CHECK(cache.find("repl").has_value());

  auto wrong_client = client("repl", "bad");
  wrong_client.server_public_key_pem = (*key)->public_key_pem();  // preconfigured key, no request
  auto wrong = converse(ctx, wrong_client, "caching_sha2_password");
  CHECK(wrong.server == outcome::refused);
  REQUIRE(wrong.server_packets.size() == 2);
  CHECK(err_message(wrong.server_packets[1]) == denied_repl_yes);
}

TEST_CASE("server_auth_exchange: plain text over plain TCP without an RSA key is refused") {
  std::vector<server_account> accounts = {{"repl", "pw", "caching_sha2_password"}};
  auto ctx = context_for(accounts);
  server_auth server(ctx);
  handshake_response response;
  response.capabilities = cap::protocol_41 | cap::plugin_auth;
  response.user = "repl";
  response.auth_plugin_name = "caching_sha2_password";
  response.auth_response = caching_sha2_scramble("pw", ctx.scramble);
  auto first = server.start(response);
  REQUIRE(first.next == outcome::more);
  std::string clear = std::string("pw") + '\0';
  auto second = server.on_packet(as_bytes(clear));
  CHECK(second.next == outcome::refused);
}
