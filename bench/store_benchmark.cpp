#include "relay/store_benchmark.h"

#include <chrono>
#include <span>

namespace binrelay::relay {

result<append_throughput> measure_append_throughput(
    const store_options& options, const std::vector<std::vector<std::uint8_t>>& events,
    std::size_t repeat, std::size_t batch) {
  auto store = relay_store::open(options);
  if (!store) return store.error();
  std::vector<bytes_view> views(events.begin(), events.end());
  append_throughput t;
  auto start = std::chrono::steady_clock::now();
  for (std::size_t round = 0; round < repeat; ++round) {
    for (std::size_t i = 0; i < views.size(); i += batch) {
      std::size_t n = std::min(batch, views.size() - i);
      if (auto r = (*store)->append_batch(std::span(views).subspan(i, n)); !r) return r.error();
    }
    for (const auto& e : events) t.bytes += e.size();
    t.events += events.size();
  }
  if (auto f = (*store)->flush(); !f) return f.error();
  t.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  t.transactions_files = (*store)->files().size();
  return t;
}

}  // namespace binrelay::relay
