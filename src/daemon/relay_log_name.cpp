#include "daemon/relay_log_name.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace binrelay::daemon {

result<std::string> find_relay_log_name(const std::filesystem::path& dir) {
  std::error_code ec;
  std::vector<std::string> names;
  if (!std::filesystem::exists(dir, ec)) return std::string(default_relay_log_name);
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".index" && entry.is_regular_file(ec))
      names.push_back(entry.path().stem().string());
  }
  if (ec) return make_error(errc::io_error, "cannot list {}: {}", dir.string(), ec.message());
  std::sort(names.begin(), names.end());
  if (names.empty() || std::find(names.begin(), names.end(), default_relay_log_name) != names.end())
    return std::string(default_relay_log_name);
  if (names.size() == 1) return names.front();
  return make_error(errc::invalid_argument,
                    "{} holds several relay logs ({}.index); choose one with --relay-log-name",
                    dir.string(), fmt::join(names, ".index, "));
}

}  // namespace binrelay::daemon
