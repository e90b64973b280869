#include "common/counters.h"

namespace binrelay {

void fsync_histogram::observe(std::chrono::nanoseconds took) {
  double seconds = std::chrono::duration<double>(took).count();
  std::size_t i = 0;
  while (i < fsync_bucket_bounds_s.size() && seconds > fsync_bucket_bounds_s[i]) ++i;
  buckets[i].fetch_add(1, std::memory_order_relaxed);
  count.fetch_add(1, std::memory_order_relaxed);
  sum_ns.fetch_add(static_cast<std::uint64_t>(took.count()), std::memory_order_relaxed);
}

process_counters& counters() {
  static process_counters registry;
  return registry;
}

}  // namespace binrelay
