#include <catch2/catch.hpp>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <memory>

#include "protocol/auth.h"
#include "unit/protocol/hex.h"

using namespace binrelay;
using namespace binrelay::protocol;
using binrelay::test::from_hex;

namespace {

// Scramble bytes 0x01..0x14, password "binrelay-pw". Expected values computed independently
// with python3 hashlib:
//   s1 = sha1(pw); x = sha1(scramble + sha1(s1)); native = s1 XOR x
//   s1 = sha256(pw); x = sha256(sha256(s1) + scramble); caching_sha2 = s1 XOR x
const auto scramble = from_hex("0102030405060708090a0b0c0d0e0f1011121314");
const char* const password = "binrelay-pw";

}  // namespace

TEST_CASE("auth: mysql_native_password scramble matches a known vector") {
  CHECK(native_password_scramble(password, scramble) ==
        from_hex("7404561e4864ad1171c06040145f7e85b31abdb3"));
  // The trailing NUL some packets append to the scramble is ignored.
  auto with_nul = scramble;
  with_nul.push_back(0);
  CHECK(native_password_scramble(password, with_nul) ==
        from_hex("7404561e4864ad1171c06040145f7e85b31abdb3"));
  CHECK(native_password_scramble("", scramble).empty());
}

TEST_CASE("auth: caching_sha2_password scramble matches a known vector") {
  CHECK(caching_sha2_scramble(password, scramble) ==
        from_hex("2ceec18f27a489a7a96011dd89930d7fe4ebdefad3a5484e0c468bdeba380fbc"));
  CHECK(caching_sha2_scramble("", scramble).empty());
}

TEST_CASE("auth: unknown plugins are refused by name") {
  auto r = auth_response_for("client_ed25519", password, scramble);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::unsupported);
  CHECK_THAT(r.error().message, Catch::Contains("client_ed25519"));
  CHECK_THAT(r.error().message, !Catch::Contains(password));
}

TEST_CASE("auth: RSA-OAEP password decrypts to password XOR scramble") {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_RSA_gen(2048), &EVP_PKEY_free);
  REQUIRE(key);
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  REQUIRE(PEM_write_bio_PUBKEY(bio.get(), key.get()) == 1);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  std::string pem(data, std::size_t(len));

  auto encrypted = caching_sha2_encrypt_password(password, scramble, pem);
  REQUIRE(encrypted);
  CHECK(encrypted->size() == 256);

  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
      EVP_PKEY_CTX_new(key.get(), nullptr), &EVP_PKEY_CTX_free);
  REQUIRE(EVP_PKEY_decrypt_init(ctx.get()) == 1);
  REQUIRE(EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING) == 1);
  std::vector<std::uint8_t> plain(256);
  std::size_t plain_len = plain.size();
  REQUIRE(EVP_PKEY_decrypt(ctx.get(), plain.data(), &plain_len, encrypted->data(),
                           encrypted->size()) == 1);
  plain.resize(plain_len);
  std::string expected = std::string(password) + '\0';
  REQUIRE(plain.size() == expected.size());
  for (std::size_t i = 0; i < plain.size(); ++i) {
    CHECK((plain[i] ^ scramble[i % scramble.size()]) == std::uint8_t(expected[i]));
  }
}

TEST_CASE("auth: a malformed public key is an invalid argument") {
  auto r = caching_sha2_encrypt_password(password, scramble, "-----BEGIN PUBLIC KEY-----\nxx");
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::invalid_argument);
}

TEST_CASE("auth: AuthSwitchRequest round trips") {
  struct named_case {
    const char* name;
    std::vector<std::uint8_t> bytes;
    auth_switch_request request;
  };
  const named_case cases[] = {
      {"native with 20-byte scramble + NUL",
       from_hex("fe 6d7973716c5f6e61746976655f70617373776f726400"
                "0102030405060708090a0b0c0d0e0f1011121314 00"),
       {"mysql_native_password", scramble}},
      {"plugin without data", from_hex("fe 7800"), {"x", {}}},
  };
  for (const auto& c : cases) {
    SECTION(c.name) {
      auto parsed = parse_auth_switch_request(c.bytes);
      REQUIRE(parsed);
      CHECK(*parsed == c.request);
      CHECK(build_auth_switch_request(*parsed) == c.bytes);
    }
  }
  CHECK_FALSE(parse_auth_switch_request(from_hex("fe 78")));
  CHECK_FALSE(parse_auth_switch_request(from_hex("00 7800")));
}

TEST_CASE("auth: AuthMoreData carries the caching_sha2 status byte") {
  auto bytes = build_auth_more_data(from_hex("03"));
  CHECK(bytes == from_hex("0103"));
  auto data = parse_auth_more_data(bytes);
  REQUIRE(data);
  REQUIRE(data->size() == 1);
  CHECK((*data)[0] == caching_sha2_fast_auth_success);
  CHECK_FALSE(parse_auth_more_data(from_hex("0003")));
}
