#include "admin/statistics.h"

#include <fmt/format.h>

namespace binrelay::admin {

std::string statistics_text(std::chrono::seconds uptime, std::size_t threads,
                            std::uint64_t questions) {
  double per_second = uptime.count() > 0 ? double(questions) / double(uptime.count()) : 0.0;
  return fmt::format(
      "Uptime: {}  Threads: {}  Questions: {}  Slow queries: 0  Opens: 0  Flush tables: 0  "
      "Open tables: 0  Queries per second avg: {:.3f}",
      uptime.count(), threads, questions, per_second);
}

}  // namespace binrelay::admin
