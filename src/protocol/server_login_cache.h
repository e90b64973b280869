#pragma once
// caching_sha2_password's cache of successful logins: after a full authentication proves a
// user's password, the server remembers SHA256(SHA256(password)) for that user, and later
// logins by the same user succeed on the scramble alone (the "fast path", one round trip).
// An entry is dropped when the user's password changes (forget()).
//
// Thread-safe: one mutex guards the map; every connection of a server shares one cache.

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "protocol/server_auth.h"

namespace binrelay::protocol {

class login_cache {
 public:
  void remember(const std::string& user, const caching_sha2_digest& digest);
  std::optional<caching_sha2_digest> find(const std::string& user) const;
  void forget(const std::string& user);

 private:
  mutable std::mutex mutex_;
  std::map<std::string, caching_sha2_digest> entries_;
};

}  // namespace binrelay::protocol
