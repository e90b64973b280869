#include "store_benchmark.h"

#include <chrono>
#include <ctime>

namespace binrelay::bench {
namespace {

double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

}  // namespace

result<append_throughput> measure_append_throughput(const relay::store_options& options,
                                                    std::span<const bytes_view> events,
                                                    std::size_t batch_bytes) {
  auto store = relay::relay_store::open(options);
  if (!store) return store.error();
  append_throughput t;
  const auto wall0 = std::chrono::steady_clock::now();
  const double cpu0 = process_cpu_seconds();
  std::size_t i = 0;
  while (i < events.size()) {
    std::size_t n = 0, bytes = 0;
    while (i + n < events.size() && (n == 0 || bytes + events[i + n].size() <= batch_bytes)) {
      bytes += events[i + n].size();
      ++n;
    }
    if (auto r = (*store)->append_batch(events.subspan(i, n)); !r) return r.error();
    t.events += n;
    t.bytes += bytes;
    i += n;
  }
  if (auto f = (*store)->flush(); !f) return f.error();
  t.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  t.cpu_seconds = process_cpu_seconds() - cpu0;
  t.files = (*store)->files().size();
  return t;
}

}  // namespace binrelay::bench
