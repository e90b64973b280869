#pragma once
// relay_log_name: which relay log binrelayd opens in its data directory when no
// --relay-log-name is given. A store made by binrelay-import keeps the primary's base name
// (`mysql-bin.index`), so the index file names it: the one `*.index` in the directory is
// used; none means a new store named `relay-bin`. Several index files (and none named
// relay-bin) are ambiguous and refused, naming them. Reads the directory listing only;
// call it while holding the data-directory lock.

#include <filesystem>
#include <string>

#include "common/result.h"

namespace binrelay::daemon {

inline constexpr const char* default_relay_log_name = "relay-bin";

// The base name to open in `dir`. Errors: invalid_argument (ambiguous, naming the index
// files), io_error (the directory cannot be listed).
result<std::string> find_relay_log_name(const std::filesystem::path& dir);

}  // namespace binrelay::daemon
