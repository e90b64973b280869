#include "admin/statistics.h"

#include <unistd.h>

#include <fstream>
#include <sstream>

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

std::chrono::seconds process_uptime() {
  std::ifstream stat("/proc/self/stat");
  std::string line;
  std::getline(stat, line);
  auto after_name = line.rfind(')');  // the command name may hold spaces
  if (after_name == std::string::npos) return std::chrono::seconds(0);
  std::istringstream fields(line.substr(after_name + 2));
  std::string field;
  for (int i = 3; i <= 22 && fields >> field; ++i) {
    if (i < 22) continue;  // field 22: start time in clock ticks after boot
    double boot_uptime = 0;
    std::ifstream("/proc/uptime") >> boot_uptime;
    double started = double(std::stoull(field)) / double(sysconf(_SC_CLK_TCK));
    return std::chrono::seconds(boot_uptime > started ? std::int64_t(boot_uptime - started) : 0);
  }
  return std::chrono::seconds(0);
}

}  // namespace binrelay::admin
