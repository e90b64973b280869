#include "relay/retry_backoff.h"

#include <algorithm>

#include "protocol/server_errors.h"

namespace binrelay::relay {

namespace {

constexpr std::uint32_t er_host_not_privileged = 1130;

}  // namespace

failure_kind classify_failure(const error& e) {
  if (e.code == errc::auth_failed) return failure_kind::permanent;
  if (e.code == errc::invalid_argument && e.server_errno == er_source_refused)
    return failure_kind::permanent;
  if (e.code != errc::server_error) return failure_kind::transient;
  switch (e.server_errno) {
    case protocol::er::master_fatal_reading_binlog:
    case protocol::er::access_denied:
    case er_host_not_privileged:
      return failure_kind::permanent;
    default:
      return failure_kind::transient;
  }
}

std::chrono::milliseconds retry_backoff::after_failure(failure_kind kind) {
  const bool permanent = kind == failure_kind::permanent;
  const auto cap =
      permanent ? std::max(limits_.permanent_max, limits_.transient_max) : limits_.transient_max;
  const std::int64_t factor = permanent ? 4 : 2;
  auto delay = limits_.initial;
  for (std::uint32_t i = 0; i < failures_ && delay < cap; ++i) delay *= factor;
  ++failures_;
  return std::min(delay, cap);
}

}  // namespace binrelay::relay
