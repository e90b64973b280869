#include "relay/retention.h"

namespace binrelay::relay {

std::size_t files_to_purge(const std::vector<retention_file>& files, const retention_limits& limits,
                           std::int64_t now_unix, const file_in_use_fn& in_use) {
  if (files.size() <= 1) return 0;
  std::uint64_t total = 0;
  for (const auto& f : files) total += f.size;
  std::size_t n = 0;
  for (; n + 1 < files.size(); ++n) {
    const retention_file& f = files[n];
    bool too_big = limits.max_total_size != 0 && total > limits.max_total_size;
    bool too_old =
        limits.max_age.count() != 0 && now_unix - f.last_write_unix > limits.max_age.count();
    if (!too_big && !too_old) break;
    if (in_use && in_use(f.name)) break;
    total -= f.size;
  }
  return n;
}

}  // namespace binrelay::relay
