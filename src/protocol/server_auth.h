#pragma once
// The server's half of password authentication (docs/protocol.md, "Server side"): scramble
// generation, checking a client's scrambled password, and the RSA key caching_sha2_password
// uses to receive a password without TLS.
//
//   mysql_native_password  client sends SHA1(pw) XOR SHA1(scramble + SHA1(SHA1(pw)));
//                          the server keeps SHA1(SHA1(pw)) and checks SHA1(candidate) == it.
//   caching_sha2_password  client sends SHA256(pw) XOR SHA256(SHA256(SHA256(pw)) + scramble);
//                          the server checks it against SHA256(SHA256(pw)) from its cache of
//                          successful logins (the fast path), else asks for the password.
//
// Sans-I/O. Comparisons of secrets are constant-time. Passwords never enter a message.

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"

namespace binrelay::protocol {

using native_password_hash = std::array<std::uint8_t, 20>;  // SHA1(SHA1(password))
using caching_sha2_digest = std::array<std::uint8_t, 32>;   // SHA256(SHA256(password))

// 20 random bytes in 1..127, never NUL or '$' (as MySQL generates them), from OpenSSL's CSPRNG.
std::vector<std::uint8_t> generate_scramble();

native_password_hash hash_native_password(std::string_view password);
caching_sha2_digest digest_caching_sha2(std::string_view password);

// True when `response` is the native scramble of the password whose hash is `stored`.
// An empty response never matches (an empty password is checked by the caller).
bool verify_native_password(bytes_view response, bytes_view scramble,
                            const native_password_hash& stored);
// True when `response` is the caching_sha2 scramble of the password whose digest is `stored`.
bool verify_caching_sha2_scramble(bytes_view response, bytes_view scramble,
                                  const caching_sha2_digest& stored);

// Constant-time equality of two passwords (compares their SHA-256).
bool same_password(std::string_view a, std::string_view b);

// An RSA private key (PEM) and its public half, for caching_sha2_password full authentication
// over plain TCP. Immutable after loading; safe to share between threads.
class rsa_private_key {
 public:
  // errc::invalid_argument when the PEM is not an RSA private key.
  static result<std::shared_ptr<const rsa_private_key>> from_pem(std::string_view pem);
  ~rsa_private_key();
  rsa_private_key(const rsa_private_key&) = delete;
  rsa_private_key& operator=(const rsa_private_key&) = delete;

  // The SubjectPublicKeyInfo PEM sent to a client that asks for it (0x02).
  const std::string& public_key_pem() const { return public_pem_; }
  std::size_t size_bytes() const { return size_bytes_; }

  // RSA-OAEP decryption of `ciphertext`, XOR with the scramble (repeated); the trailing NUL is
  // removed. errc::auth_failed when it does not decrypt or is not NUL-terminated.
  result<std::string> decrypt_password(bytes_view ciphertext, bytes_view scramble) const;

 private:
  struct key_holder;
  explicit rsa_private_key(std::unique_ptr<key_holder> key, std::string public_pem,
                           std::size_t size_bytes);

  std::unique_ptr<key_holder> key_;
  std::string public_pem_;
  std::size_t size_bytes_ = 0;
};

}  // namespace binrelay::protocol
