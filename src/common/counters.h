#pragma once
// counters: the process's one registry of monotonically growing counters for /metrics
// (docs/metrics.md): what binrelayd received, stored, sent and applied, and how long its
// fdatasync calls took. Hot paths add to them once per batch or call with relaxed atomics:
// never a lock, never a log line.
//
// Thread-safe: any thread may add or read at any time. Readings of different counters are not
// a consistent snapshot (each is exact on its own).

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>

namespace binrelay {

// Upper bounds (seconds) of the fdatasync latency histogram's buckets; +Inf is implied.
inline constexpr std::array<double, 12> fsync_bucket_bounds_s = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0};

struct fsync_histogram {
  std::array<std::atomic<std::uint64_t>, fsync_bucket_bounds_s.size() + 1>
      buckets{};  // not cumulative
  std::atomic<std::uint64_t> count{0};
  std::atomic<std::uint64_t> sum_ns{0};

  void observe(std::chrono::nanoseconds took);
};

struct process_counters {
  std::atomic<std::uint64_t> bytes_received{0};  // binlog event bytes from the upstream
  std::atomic<std::uint64_t> events_received{0};
  std::atomic<std::uint64_t> transactions_received{0};  // GTID events from the upstream
  std::atomic<std::uint64_t> bytes_sent{0};             // binlog event bytes to replicas
  std::atomic<std::uint64_t> events_sent{0};
  std::atomic<std::uint64_t> admin_queries{0};   // statements answered on the admin port
  std::atomic<std::uint64_t> admin_sessions{0};  // admin connections open now (a gauge)
  const std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  fsync_histogram fsync;  // relay log fdatasync calls

  static void add(std::atomic<std::uint64_t>& c, std::uint64_t n) {
    c.fetch_add(n, std::memory_order_relaxed);
  }
  static void subtract(std::atomic<std::uint64_t>& c, std::uint64_t n) {
    c.fetch_sub(n, std::memory_order_relaxed);
  }
  static std::uint64_t read(const std::atomic<std::uint64_t>& c) {
    return c.load(std::memory_order_relaxed);
  }
  std::int64_t uptime_seconds() const {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() -
                                                            started)
        .count();
  }
};

// The process's registry (lives as long as the process).
process_counters& counters();

}  // namespace binrelay
