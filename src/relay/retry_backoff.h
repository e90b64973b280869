#pragma once
// retry_backoff: how long the IO thread (upstream_session.h) waits before its next attempt.
// Every failure is retried; consecutive failures wait longer, up to a cap. docs/operations.md,
// "Retries".
//
//   transient (the network, a source that went away, a corrupt event, a relay log write
//   failure such as ENOSPC): initial, 2x, 4x, ... up to `transient_max`;
//   permanent (the source refused us: ERR 1236 such as purged binlogs, 1045 access denied,
//   1130 host not allowed; binrelayd's refusal of a source, er_source_refused; nothing
//   changes until an operator or the group acts): initial, then 4x per
//   attempt up to `permanent_max` (never below transient_max).
// An attempt that made progress (stored a transaction, or caught up with the source) starts
// the sequence again.
//
// Sans-I/O; not thread-safe (owned by one session).

#include <chrono>
#include <cstdint>

#include "common/result.h"

namespace binrelay::relay {

enum class failure_kind { transient, permanent };

// ER_SLAVE_FATAL_ERROR: binrelayd refuses a source (failover: not trusted, lacking GTIDs
// binrelayd holds; docs/failover.md). A refusal, like the source's own.
inline constexpr std::uint16_t er_source_refused = 1593;

// permanent for the source's refusals listed above, transient for everything else.
failure_kind classify_failure(const error& e);

struct retry_limits {
  std::chrono::milliseconds initial{1000};
  std::chrono::milliseconds transient_max{60'000};
  std::chrono::milliseconds permanent_max{60'000};
};

class retry_backoff {
 public:
  explicit retry_backoff(retry_limits limits) : limits_(limits) {}

  // The wait before the next attempt, after one that failed with `kind`.
  std::chrono::milliseconds after_failure(failure_kind kind);
  // The last attempt made progress: the next failure waits `initial` again.
  void after_progress() { failures_ = 0; }
  // Failed attempts since the last progress.
  std::uint32_t failures() const { return failures_; }

 private:
  retry_limits limits_;
  std::uint32_t failures_ = 0;
};

}  // namespace binrelay::relay
