#pragma once
// digest: SHA-1 / SHA-256 of one or two concatenated byte strings through OpenSSL's EVP API,
// the building block of mysql_native_password and caching_sha2_password on both the client
// (auth.cpp) and the server (server_auth.cpp) side.

#include <openssl/evp.h>

#include <array>
#include <cassert>
#include <cstdint>
#include <memory>

#include "common/bytes.h"

namespace binrelay::protocol {

template <std::size_t N>
using digest = std::array<std::uint8_t, N>;

// The N-byte digest `md` of `a` followed by `b`.
template <std::size_t N>
digest<N> hash(const EVP_MD* md, bytes_view a, bytes_view b = {}) {
  digest<N> out{};
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  unsigned int len = 0;
  bool ok = ctx && EVP_DigestInit_ex(ctx.get(), md, nullptr) == 1 &&
            EVP_DigestUpdate(ctx.get(), a.data(), a.size()) == 1 &&
            EVP_DigestUpdate(ctx.get(), b.data(), b.size()) == 1 &&
            EVP_DigestFinal_ex(ctx.get(), out.data(), &len) == 1;
  assert(ok && len == N);
  (void)ok;
  return out;
}

}  // namespace binrelay::protocol
