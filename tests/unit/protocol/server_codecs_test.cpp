#include <catch2/catch.hpp>

#include <set>

#include "protocol/auth.h"
#include "protocol/constants.h"
#include "protocol/handshake.h"
#include "protocol/response_packets.h"
#include "protocol/server_auth.h"
#include "protocol/server_errors.h"
#include "protocol/server_handshake.h"
#include "protocol/server_result_set.h"
#include "unit/protocol/hex.h"
#include "unit/protocol/server_test_support.h"

using namespace binrelay;
using namespace binrelay::protocol;
using namespace binrelay::test;

namespace {

std::vector<std::uint8_t> concat(std::initializer_list<std::vector<std::uint8_t>> parts) {
  std::vector<std::uint8_t> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

std::vector<std::uint8_t> scramble_1_to_20() {
  std::vector<std::uint8_t> s;
  for (std::uint8_t i = 1; i <= 20; ++i) s.push_back(i);
  return s;
}

}  // namespace

TEST_CASE("server_handshake: greeting is byte-exact and parses back") {
  server_identity id{"8.0.36-binrelay", "caching_sha2_password", false};
  auto greeting = make_server_greeting(id, 7, scramble_1_to_20());
  auto expected = concat({from_hex("0a"), bytes_of("8.0.36-binrelay"),
                          from_hex("00 07000000 0102030405060708 00 0fa2 2d 0200 3a01 15"
                                   "000000000000 00000000 090a0b0c0d0e0f1011121314 00"),
                          bytes_of("caching_sha2_password"), from_hex("00")});
  CHECK(build_handshake_v10(greeting) == expected);
  auto parsed = parse_handshake_v10(expected);
  REQUIRE(parsed);
  CHECK(*parsed == greeting);
}

TEST_CASE("server_handshake: SSL is offered only with a certificate") {
  CHECK_FALSE(server_capabilities(false) & cap::ssl);
  CHECK(server_capabilities(true) & cap::ssl);
  CHECK_FALSE(server_capabilities(true) & cap::compress);
  CHECK_FALSE(server_capabilities(true) & cap::multi_statements);
  CHECK(negotiate_capabilities(server_capabilities(false), cap::protocol_41 | cap::compress) ==
        cap::protocol_41);
}

TEST_CASE("server_errors: packets carry MySQL's numbers, states and wording") {
  struct row {
    err_packet packet;
    std::uint16_t code;
    const char* state;
    const char* message;
  };
  row rows[] = {
      {access_denied("repl", "127.0.0.1", true), 1045, "28000",
       "Access denied for user 'repl'@'127.0.0.1' (using password: YES)"},
      {access_denied("u", "h", false), 1045, "28000",
       "Access denied for user 'u'@'h' (using password: NO)"},
      {too_many_connections(), 1040, "08004", "Too many connections"},
      {bad_handshake(), 1043, "08S01", "Bad handshake"},
      {unknown_command(), 1047, "08S01", "Unknown command"},
      {packet_too_large(), 1153, "08S01", "Got a packet bigger than 'max_allowed_packet' bytes"},
      {not_supported_yet("SHOW PROCESSLIST"), 1235, "42000",
       "This version of binrelay doesn't yet support 'SHOW PROCESSLIST'"},
  };
  for (const auto& r : rows) {
    CHECK(r.packet.error_code == r.code);
    CHECK(r.packet.sql_state == r.state);
    CHECK(r.packet.message == r.message);
  }
  auto wire = build_err_packet(access_denied("u", "h", true));
  CHECK(wire == concat({from_hex("ff 1504 23"), bytes_of("28000"),
                        bytes_of("Access denied for user 'u'@'h' (using password: YES)")}));
}

TEST_CASE("server_errors: an error with a server errno keeps it, one without becomes 1105") {
  binrelay::error parse{errc::invalid_argument, "You have an error", 1064};
  CHECK(to_err_packet(parse) == err_packet{1064, "42000", "You have an error"});
  CHECK(to_err_packet(binrelay::error{errc::io_error, "disk"}) ==
        err_packet{1105, "HY000", "disk"});
}

TEST_CASE("server_result_set: column definitions are byte-exact") {
  CHECK(build_column_definition(text_column("Value")) ==
        concat({from_hex("03"), bytes_of("def"), from_hex("00 00 00 05"), bytes_of("Value"),
                from_hex("05"), bytes_of("Value"), from_hex("0c 2d00 00040000 fd 0000 00 0000")}));
  CHECK(
      build_column_definition(integer_column("Position", true)) ==
      concat({from_hex("03"), bytes_of("def"), from_hex("00 00 00 08"), bytes_of("Position"),
              from_hex("08"), bytes_of("Position"), from_hex("0c 3f00 14000000 08 a000 00 0000")}));
}

TEST_CASE("server_result_set: rows encode with NULL markers and round-trip") {
  result_set rs({text_column("a"), text_column("b")});
  rs.add_row({"x", std::nullopt});
  REQUIRE(rs.row_count() == 1);
  CHECK(build_text_row(rs.result().rows[0]) == from_hex("0178 fb"));
  auto payloads = build_query_response(rs.result(), true);
  query_response_reader reader(true);
  for (std::size_t i = 0; i < payloads.size(); ++i) {
    auto done = reader.on_packet(payloads[i]);
    REQUIRE(done);
    CHECK(*done == (i + 1 == payloads.size()));
  }
  CHECK(reader.answer().rows == rs.result().rows);
  CHECK(reader.answer().columns == rs.result().columns);
}

TEST_CASE("server_auth: scrambles are 20 random bytes without NUL or '$'") {
  std::set<std::vector<std::uint8_t>> seen;
  for (int i = 0; i < 50; ++i) {
    auto s = generate_scramble();
    REQUIRE(s.size() == 20);
    for (auto b : s) {
      CHECK(b != 0);
      CHECK(b != '$');
      CHECK(b < 128);
    }
    seen.insert(s);
  }
  CHECK(seen.size() == 50);
}

TEST_CASE("server_auth: native password scrambles verify against SHA1(SHA1(pw))") {
  auto scramble = scramble_1_to_20();
  auto stored = hash_native_password("s3cret");
  CHECK(verify_native_password(native_password_scramble("s3cret", scramble), scramble, stored));
  CHECK_FALSE(
      verify_native_password(native_password_scramble("s3creT", scramble), scramble, stored));
  auto other = scramble;
  other[0] ^= 1;
  CHECK_FALSE(verify_native_password(native_password_scramble("s3cret", other), scramble, stored));
  CHECK_FALSE(verify_native_password({}, scramble, stored));
  // SHA1(SHA1("s3cret")) as MySQL stores it ("*" + hex) for PASSWORD('s3cret').
  CHECK(to_hex(stored).size() == 40);
}

TEST_CASE("server_auth: caching_sha2 scrambles verify against SHA256(SHA256(pw))") {
  auto scramble = scramble_1_to_20();
  auto digest = digest_caching_sha2("pässwörd");
  CHECK(
      verify_caching_sha2_scramble(caching_sha2_scramble("pässwörd", scramble), scramble, digest));
  CHECK_FALSE(
      verify_caching_sha2_scramble(caching_sha2_scramble("passwörd", scramble), scramble, digest));
  auto truncated = caching_sha2_scramble("pässwörd", scramble);
  truncated.pop_back();
  CHECK_FALSE(verify_caching_sha2_scramble(truncated, scramble, digest));
}

TEST_CASE("server_auth: the RSA key decrypts what the client encrypted with its public half") {
  throwaway_certificate cert;
  auto key = rsa_private_key::from_pem(cert.key_pem());
  REQUIRE(key);
  CHECK_THAT((*key)->public_key_pem(), Catch::StartsWith("-----BEGIN PUBLIC KEY-----"));
  CHECK((*key)->size_bytes() == 256);
  auto scramble = scramble_1_to_20();
  auto encrypted =
      caching_sha2_encrypt_password("over-the-wire", scramble, (*key)->public_key_pem());
  REQUIRE(encrypted);
  auto clear = (*key)->decrypt_password(*encrypted, scramble);
  REQUIRE(clear);
  CHECK(*clear == "over-the-wire");

  auto corrupt = *encrypted;
  corrupt[100] ^= 0x40;
  auto refused = (*key)->decrypt_password(corrupt, scramble);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == errc::auth_failed);
}

TEST_CASE("server_auth: a PEM that is not an RSA private key is refused") {
  auto key =
      rsa_private_key::from_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
  REQUIRE_FALSE(key);
  CHECK(key.error().code == errc::invalid_argument);
}
