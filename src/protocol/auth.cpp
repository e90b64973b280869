#include "protocol/auth.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <array>
#include <cassert>
#include <memory>

#include "protocol/constants.h"
#include "protocol/digest.h"

namespace binrelay::protocol {
namespace {

digest<20> sha1(bytes_view a, bytes_view b = {}) {
  return hash<20>(EVP_sha1(), a, b);
}
digest<32> sha256(bytes_view a, bytes_view b = {}) {
  return hash<32>(EVP_sha256(), a, b);
}

template <std::size_t N>
std::vector<std::uint8_t> xor_bytes(const digest<N>& a, const digest<N>& b) {
  std::vector<std::uint8_t> out(N);
  for (std::size_t i = 0; i < N; ++i) out[i] = a[i] ^ b[i];
  return out;
}

// Servers send the scramble with a trailing NUL in some packets; hash only the 20 bytes.
bytes_view trim_scramble(bytes_view scramble) {
  return scramble.size() > scramble_size ? scramble.first(scramble_size) : scramble;
}

}  // namespace

std::vector<std::uint8_t> native_password_scramble(std::string_view password, bytes_view scramble) {
  if (password.empty()) return {};
  auto stage1 = sha1(as_bytes(password));
  auto stage2 = sha1(stage1);
  return xor_bytes(stage1, sha1(trim_scramble(scramble), stage2));
}

std::vector<std::uint8_t> caching_sha2_scramble(std::string_view password, bytes_view scramble) {
  if (password.empty()) return {};
  auto stage1 = sha256(as_bytes(password));
  auto stage2 = sha256(stage1);
  return xor_bytes(stage1, sha256(stage2, trim_scramble(scramble)));
}

result<std::vector<std::uint8_t>> auth_response_for(std::string_view plugin,
                                                    std::string_view password,
                                                    bytes_view scramble) {
  if (plugin == native_password_plugin) return native_password_scramble(password, scramble);
  if (plugin == caching_sha2_plugin) return caching_sha2_scramble(password, scramble);
  return make_error(errc::unsupported, "authentication plugin '{}' is not supported (use {} or {})",
                    plugin, native_password_plugin, caching_sha2_plugin);
}

result<std::vector<std::uint8_t>> caching_sha2_encrypt_password(std::string_view password,
                                                                bytes_view scramble,
                                                                std::string_view public_key_pem) {
  bytes_view salt = trim_scramble(scramble);
  if (salt.empty()) return make_error(errc::protocol_error, "empty scramble");
  std::vector<std::uint8_t> plain(password.begin(), password.end());
  plain.push_back(0);
  for (std::size_t i = 0; i < plain.size(); ++i) plain[i] ^= salt[i % salt.size()];

  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(public_key_pem.data(), int(public_key_pem.size())), &BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr, &EVP_PKEY_free);
  if (!key) {
    return make_error(errc::invalid_argument, "cannot read the server's RSA public key (PEM)");
  }
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
      EVP_PKEY_CTX_new(key.get(), nullptr), &EVP_PKEY_CTX_free);
  std::size_t out_len = 0;
  if (!ctx || EVP_PKEY_encrypt_init(ctx.get()) <= 0 ||
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING) <= 0 ||
      EVP_PKEY_encrypt(ctx.get(), nullptr, &out_len, plain.data(), plain.size()) <= 0) {
    return make_error(errc::invalid_argument, "the server's public key cannot encrypt with OAEP");
  }
  std::vector<std::uint8_t> out(out_len);
  if (EVP_PKEY_encrypt(ctx.get(), out.data(), &out_len, plain.data(), plain.size()) <= 0) {
    return make_error(errc::invalid_argument,
                      "RSA encryption of the password failed (password too long for the key?)");
  }
  out.resize(out_len);
  return out;
}

result<auth_switch_request> parse_auth_switch_request(bytes_view payload) {
  byte_reader r(payload);
  std::uint8_t header = r.u8();
  if (r.ok() && header != auth_switch_header) {
    return make_error(errc::protocol_error, "expected an AuthSwitchRequest, got header 0x{:02x}",
                      header);
  }
  auth_switch_request s;
  s.plugin_name = std::string(r.str_nul());
  if (!r.ok()) return make_error(errc::truncated, "AuthSwitchRequest is truncated");
  bytes_view data = r.rest();
  if (data.size() == scramble_size + 1 && data.back() == 0) data = data.first(scramble_size);
  s.plugin_data.assign(data.begin(), data.end());
  return s;
}

std::vector<std::uint8_t> build_auth_switch_request(const auth_switch_request& s) {
  std::vector<std::uint8_t> out;
  byte_writer w(out);
  w.u8(auth_switch_header);
  w.str_nul(s.plugin_name);
  w.bytes(s.plugin_data);
  if (s.plugin_data.size() == scramble_size) w.u8(0);
  return out;
}

result<bytes_view> parse_auth_more_data(bytes_view payload) {
  if (payload.empty() || payload[0] != auth_more_data_header) {
    return make_error(errc::protocol_error, "expected AuthMoreData (0x01)");
  }
  return payload.subspan(1);
}

std::vector<std::uint8_t> build_auth_more_data(bytes_view data) {
  std::vector<std::uint8_t> out;
  out.reserve(data.size() + 1);
  out.push_back(auth_more_data_header);
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

}  // namespace binrelay::protocol
