#pragma once
// Authentication plugins and the packets of the authentication exchange
// (docs/protocol.md, "Authentication"):
//   AuthSwitchRequest  0xFE | plugin_name NUL-string | plugin_data (rest; a trailing NUL of a
//                      20-byte scramble is dropped)
//   AuthMoreData       0x01 | data (rest)
// caching_sha2_password sends AuthMoreData 0x03 (fast auth succeeded, an OK follows) or 0x04
// (full authentication: the client sends the password in clear over TLS, or RSA-OAEP
// encrypted with the server's public key; it may ask for the key by sending the byte 0x02).
// Sans-I/O. Passwords are inputs only: nothing here formats them into a message.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"

namespace binrelay::protocol {

inline constexpr std::string_view native_password_plugin = "mysql_native_password";
inline constexpr std::string_view caching_sha2_plugin = "caching_sha2_password";

inline constexpr std::uint8_t caching_sha2_request_public_key = 0x02;
inline constexpr std::uint8_t caching_sha2_fast_auth_success = 0x03;
inline constexpr std::uint8_t caching_sha2_perform_full_auth = 0x04;

// SHA1(password) XOR SHA1(scramble + SHA1(SHA1(password))); empty for an empty password.
std::vector<std::uint8_t> native_password_scramble(std::string_view password, bytes_view scramble);

// SHA256(password) XOR SHA256(SHA256(SHA256(password)) + scramble); empty for an empty password.
std::vector<std::uint8_t> caching_sha2_scramble(std::string_view password, bytes_view scramble);

// The first auth response for `plugin`; errc::unsupported for a plugin we do not implement.
result<std::vector<std::uint8_t>> auth_response_for(std::string_view plugin,
                                                    std::string_view password, bytes_view scramble);

// RSA-OAEP (SHA-1 MGF, as the server expects) of (password + NUL) XOR scramble (repeated), with
// the server's public key in PEM. errc::invalid_argument when the key cannot be read.
result<std::vector<std::uint8_t>> caching_sha2_encrypt_password(std::string_view password,
                                                                bytes_view scramble,
                                                                std::string_view public_key_pem);

struct auth_switch_request {
  std::string plugin_name;
  std::vector<std::uint8_t> plugin_data;
  bool operator==(const auth_switch_request&) const = default;
};

result<auth_switch_request> parse_auth_switch_request(bytes_view payload);
// Writes a 20-byte scramble with the trailing NUL servers send.
std::vector<std::uint8_t> build_auth_switch_request(const auth_switch_request& request);

// The data after the 0x01 header of AuthMoreData.
result<bytes_view> parse_auth_more_data(bytes_view payload);
std::vector<std::uint8_t> build_auth_more_data(bytes_view data);

}  // namespace binrelay::protocol
