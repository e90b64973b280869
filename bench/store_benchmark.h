#pragma once
// The relay store's write ceiling: appends events held in memory to a fresh relay_store in
// batches, as the upstream session appends what one network read delivered, and times it.
// bench/store_bench.cpp (run by bench/store.sh) reports it.

#include <cstddef>
#include <cstdint>
#include <span>

#include "common/bytes.h"
#include "common/result.h"
#include "relay/relay_store.h"

namespace binrelay::bench {

struct append_throughput {
  std::uint64_t events = 0;
  std::uint64_t bytes = 0;
  std::uint64_t files = 0;  // relay log files the store ended with
  double wall_seconds = 0;
  double cpu_seconds = 0;  // of the whole process (the syncer thread included)
};

// Opens a store with `options`, appends `events` with append_batch in batches of at most
// `batch_bytes` (at least one event each), flush()es, and times that. The store is closed
// before returning. REQUIRES: options.directory holds no relay log. Errors: the store's.
result<append_throughput> measure_append_throughput(const relay::store_options& options,
                                                    std::span<const bytes_view> events,
                                                    std::size_t batch_bytes);

}  // namespace binrelay::bench
