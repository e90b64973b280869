#include "protocol/server_auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include <cassert>

#include "protocol/constants.h"
#include "protocol/digest.h"

namespace binrelay::protocol {
namespace {

bytes_view trim_scramble(bytes_view scramble) {
  return scramble.size() > scramble_size ? scramble.first(scramble_size) : scramble;
}

// candidate = response XOR mask; true when hash(candidate) == stored.
template <std::size_t N>
bool unmask_and_check(bytes_view response, const std::array<std::uint8_t, N>& mask,
                      const std::array<std::uint8_t, N>& stored, const EVP_MD* md) {
  if (response.size() != N) return false;
  std::array<std::uint8_t, N> candidate{};
  for (std::size_t i = 0; i < N; ++i) candidate[i] = response[i] ^ mask[i];
  auto rehashed = hash<N>(md, candidate);
  return CRYPTO_memcmp(rehashed.data(), stored.data(), N) == 0;
}

using pkey_ptr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

std::string public_pem_of(EVP_PKEY* key) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key) != 1) return {};
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, std::size_t(n));
}

}  // namespace

std::vector<std::uint8_t> generate_scramble() {
  std::vector<std::uint8_t> s(scramble_size);
  int ok = RAND_bytes(s.data(), int(s.size()));
  assert(ok == 1);
  (void)ok;
  for (auto& b : s) {
    b &= 0x7F;
    if (b == 0 || b == '$') ++b;
  }
  return s;
}

native_password_hash hash_native_password(std::string_view password) {
  auto stage1 = hash<20>(EVP_sha1(), as_bytes(password));
  return hash<20>(EVP_sha1(), stage1);
}

caching_sha2_digest digest_caching_sha2(std::string_view password) {
  auto stage1 = hash<32>(EVP_sha256(), as_bytes(password));
  return hash<32>(EVP_sha256(), stage1);
}

bool verify_native_password(bytes_view response, bytes_view scramble,
                            const native_password_hash& stored) {
  auto mask = hash<20>(EVP_sha1(), trim_scramble(scramble), stored);
  return unmask_and_check(response, mask, stored, EVP_sha1());
}

bool verify_caching_sha2_scramble(bytes_view response, bytes_view scramble,
                                  const caching_sha2_digest& stored) {
  auto mask = hash<32>(EVP_sha256(), stored, trim_scramble(scramble));
  return unmask_and_check(response, mask, stored, EVP_sha256());
}

bool same_password(std::string_view a, std::string_view b) {
  auto ha = hash<32>(EVP_sha256(), as_bytes(a));
  auto hb = hash<32>(EVP_sha256(), as_bytes(b));
  return CRYPTO_memcmp(ha.data(), hb.data(), ha.size()) == 0;
}

struct rsa_private_key::key_holder {
  pkey_ptr key{nullptr, &EVP_PKEY_free};
};

rsa_private_key::rsa_private_key(std::unique_ptr<key_holder> key, std::string public_pem,
                                 std::size_t size_bytes)
    : key_(std::move(key)), public_pem_(std::move(public_pem)), size_bytes_(size_bytes) {}

rsa_private_key::~rsa_private_key() = default;

result<std::shared_ptr<const rsa_private_key>> rsa_private_key::from_pem(std::string_view pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), int(pem.size())),
                                                &BIO_free);
  auto holder = std::make_unique<key_holder>();
  if (bio) holder->key.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!holder->key || EVP_PKEY_base_id(holder->key.get()) != EVP_PKEY_RSA) {
    return make_error(errc::invalid_argument, "not an RSA private key in PEM format");
  }
  std::string public_pem = public_pem_of(holder->key.get());
  std::size_t size = std::size_t(EVP_PKEY_get_size(holder->key.get()));
  return std::shared_ptr<const rsa_private_key>(
      new rsa_private_key(std::move(holder), std::move(public_pem), size));
}

result<std::string> rsa_private_key::decrypt_password(bytes_view ciphertext,
                                                      bytes_view scramble) const {
  bytes_view salt = trim_scramble(scramble);
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
      EVP_PKEY_CTX_new(key_->key.get(), nullptr), &EVP_PKEY_CTX_free);
  std::size_t out_len = 0;
  if (salt.empty() || !ctx || EVP_PKEY_decrypt_init(ctx.get()) <= 0 ||
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING) <= 0 ||
      EVP_PKEY_decrypt(ctx.get(), nullptr, &out_len, ciphertext.data(), ciphertext.size()) <= 0) {
    return make_error(errc::auth_failed, "cannot decrypt the RSA-encrypted password");
  }
  std::vector<std::uint8_t> plain(out_len);
  if (EVP_PKEY_decrypt(ctx.get(), plain.data(), &out_len, ciphertext.data(), ciphertext.size()) <=
      0) {
    return make_error(errc::auth_failed, "cannot decrypt the RSA-encrypted password");
  }
  plain.resize(out_len);
  for (std::size_t i = 0; i < plain.size(); ++i) plain[i] ^= salt[i % salt.size()];
  if (plain.empty() || plain.back() != 0) {
    return make_error(errc::auth_failed, "the decrypted password is not NUL-terminated");
  }
  return std::string(plain.begin(), plain.end() - 1);
}

}  // namespace binrelay::protocol
