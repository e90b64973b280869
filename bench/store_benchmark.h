#pragma once
// A benchmark hook for the relay store: appends a list of events (e.g. a fixture binlog's,
// repeated) to a fresh store and measures the append throughput. bench/ wraps it.

#include <cstdint>
#include <vector>

#include "common/result.h"
#include "relay/relay_store.h"

namespace binrelay::relay {

struct append_throughput {
  std::uint64_t events = 0;
  std::uint64_t bytes = 0;
  std::uint64_t transactions_files = 0;  // files the store ended with
  double seconds = 0;
  double mib_per_second() const { return seconds > 0 ? double(bytes) / 1048576.0 / seconds : 0; }
  double events_per_second() const { return seconds > 0 ? double(events) / seconds : 0; }
};

// Opens a store with `options` (its directory should be empty), appends `events` `repeat`
// times in batches of `batch` events (append_batch), flushes, and times it all. The FDE and
// other control events in `events` are appended each round too, like a reconnecting upstream.
result<append_throughput> measure_append_throughput(const store_options& options,
                                                    const std::vector<std::vector<std::uint8_t>>& events,
                                                    std::size_t repeat, std::size_t batch = 64);

}  // namespace binrelay::relay
