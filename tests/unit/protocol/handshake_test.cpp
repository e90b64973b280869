#include <catch2/catch.hpp>

#include "protocol/constants.h"
#include "protocol/handshake.h"
#include "protocol/handshake_response.h"
#include "unit/protocol/hex.h"

using namespace binrelay;
using namespace binrelay::protocol;
using binrelay::test::from_hex;

namespace {

// Captured from the real Debian 12 `mariadbd` on loopback, started without TLS (frame header
// removed).
const char* const mariadb_10_11_greeting =
    "0a352e352e352d31302e31312e31392d4d6172696144422d302b6465623132753100030000003b786b33573e70"
    "3900fef7080200ff81150000000000001d000000692829326171385e50584a49006d7973716c5f6e6174697665"
    "5f70617373776f726400";

// A MySQL 8.0.36 greeting laid out as MySQL sends it (capabilities 0xdfffffff).
const char* const mysql_8_greeting =
    "0a 382e302e333600 08000000 0102030405060708 00 ffff ff 0200 ffdf 15 00000000000000000000"
    "090a0b0c0d0e0f1011121314 00 63616368696e675f736861325f70617373776f726400";

}  // namespace

TEST_CASE("handshake: greetings parse and rebuild byte-exactly") {
  SECTION("real MariaDB 10.11 greeting") {
    auto bytes = from_hex(mariadb_10_11_greeting);
    auto g = parse_handshake_v10(bytes);
    REQUIRE(g);
    CHECK(g->server_version == "5.5.5-10.11.19-MariaDB-0+deb12u1");
    CHECK(g->is_mariadb());
    CHECK(display_version(g->server_version) == "10.11.19-MariaDB-0+deb12u1");
    CHECK(g->connection_id == 3);
    CHECK(g->scramble == from_hex("3b786b33573e7039692829326171385e50584a49"));
    CHECK_FALSE(g->capabilities & cap::long_password);  // MariaDB clears CLIENT_MYSQL
    CHECK_FALSE(g->capabilities & cap::ssl);
    CHECK(g->capabilities & cap::plugin_auth);
    CHECK((g->capabilities >> 32) == 0x1d);  // extended capabilities from the filler
    CHECK(g->charset == 8);
    CHECK(g->status_flags == status::autocommit);
    CHECK(g->auth_plugin_name == "mysql_native_password");
    CHECK(build_handshake_v10(*g) == bytes);
  }
  SECTION("MySQL 8.0 greeting") {
    auto bytes = from_hex(mysql_8_greeting);
    auto g = parse_handshake_v10(bytes);
    REQUIRE(g);
    CHECK(g->server_version == "8.0.36");
    CHECK_FALSE(g->is_mariadb());
    CHECK(g->connection_id == 8);
    CHECK(g->scramble == from_hex("0102030405060708090a0b0c0d0e0f1011121314"));
    CHECK(g->capabilities == 0xdfffffffu);
    CHECK(g->charset == 0xff);
    CHECK(g->auth_plugin_name == "caching_sha2_password");
    CHECK(build_handshake_v10(*g) == bytes);
  }
}

TEST_CASE("handshake: malformed greetings are refused") {
  SECTION("ERR instead of a greeting carries the server's error") {
    auto bytes = from_hex("ff1004 486f737420 6973 20626c6f636b6564");  // "Host is blocked"
    auto g = parse_handshake_v10(bytes);
    REQUIRE_FALSE(g);
    CHECK(g.error().code == errc::server_error);
    CHECK(g.error().server_errno == 1040);
    CHECK_THAT(g.error().message, Catch::Contains("Host is blocked"));
  }
  SECTION("protocol version 9") {
    auto g = parse_handshake_v10(from_hex("09 3400"));
    REQUIRE_FALSE(g);
    CHECK(g.error().code == errc::unsupported);
  }
  SECTION("a pre-4.1 greeting ending after the low capabilities") {
    auto g = parse_handshake_v10(from_hex("0a 3400 01000000 0102030405060708 00 ff7f"));
    REQUIRE_FALSE(g);
    CHECK(g.error().code == errc::unsupported);
  }
  SECTION("every truncation of a real greeting fails or parses a prefix") {
    auto bytes = from_hex(mysql_8_greeting);
    for (std::size_t n = 0; n + 1 < bytes.size(); ++n) {
      auto g = parse_handshake_v10(bytes_view(bytes).first(n));
      if (g) CHECK(g->auth_plugin_name != "caching_sha2_password");
    }
  }
}

TEST_CASE("handshake_response: round trips with every optional part") {
  struct named_case {
    const char* name;
    handshake_response response;
  };
  handshake_response base;
  base.capabilities = cap::protocol_41 | cap::secure_connection | cap::long_password;
  base.charset = default_charset;
  base.user = "repl";
  base.auth_response = from_hex("7404561e4864ad1171c06040145f7e85b31abdb3");
  auto with = [&](std::uint64_t caps, auto&& edit) {
    handshake_response r = base;
    r.capabilities |= caps;
    edit(r);
    return r;
  };
  const named_case cases[] = {
      {"u8 auth length", base},
      {"lenenc auth data + plugin",
       with(cap::plugin_auth | cap::plugin_auth_lenenc_client_data,
            [](auto& r) { r.auth_plugin_name = "caching_sha2_password"; })},
      {"database", with(cap::connect_with_db, [](auto& r) { r.database = "mysql"; })},
      {"attributes", with(cap::connect_attrs | cap::plugin_auth,
                          [](auto& r) {
                            r.auth_plugin_name = "mysql_native_password";
                            r.attributes = {{"_client_name", "binrelay"}, {"program_name", "x"}};
                          })},
      {"ssl compress deprecate_eof flags",
       with(cap::ssl | cap::compress | cap::deprecate_eof, [](auto&) {})},
      {"MariaDB extended capabilities",
       with(cap::mariadb_progress, [](auto& r) { r.capabilities &= ~cap::long_password; })},
      {"empty password", with(0, [](auto& r) { r.auth_response.clear(); })},
  };
  for (const auto& c : cases) {
    SECTION(c.name) {
      auto bytes = build_handshake_response(c.response);
      auto parsed = parse_handshake_response(bytes);
      REQUIRE(parsed);
      CHECK(*parsed == c.response);
      CHECK(build_handshake_response(*parsed) == bytes);
    }
  }
}

TEST_CASE("handshake_response: byte layout of a minimal response") {
  handshake_response r;
  r.capabilities = cap::protocol_41 | cap::secure_connection | cap::plugin_auth;
  r.max_packet_size = 0x01000000;
  r.charset = 45;
  r.user = "u";
  r.auth_response = from_hex("aabb");
  r.auth_plugin_name = "p";
  auto expected = from_hex(
      "00820800 00000001 2d 00000000000000000000000000000000000000 00000000"
      "7500 02aabb 7000");
  CHECK(build_handshake_response(r) == expected);
}

TEST_CASE("handshake_response: truncated responses are refused") {
  handshake_response r;
  r.capabilities = cap::protocol_41 | cap::secure_connection | cap::connect_attrs;
  r.user = "repl";
  r.auth_response = {1, 2, 3};
  r.attributes = {{"k", "v"}};
  auto bytes = build_handshake_response(r);
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    auto parsed = parse_handshake_response(bytes_view(bytes).first(n));
    CHECK_FALSE(parsed);
  }
}

TEST_CASE("ssl_request: 32 bytes with the SSL capability") {
  ssl_request s{cap::protocol_41 | cap::secure_connection, 1u << 24, 45};
  auto bytes = build_ssl_request(s);
  CHECK(bytes == from_hex("008a0000 00000001 2d 00000000000000000000000000000000000000 00000000"));
  auto parsed = parse_ssl_request(bytes);
  REQUIRE(parsed);
  CHECK(parsed->capabilities == (s.capabilities | cap::ssl));
  bytes.push_back(0);
  CHECK_FALSE(parse_ssl_request(bytes));
}
