// The IO thread's waits between attempts: exponential and capped for every failure, slower
// for the source's refusals, back to the first wait after an attempt that made progress.

#include <catch2/catch.hpp>

#include "relay/retry_backoff.h"

using namespace binrelay;
using namespace std::chrono_literals;
using relay::failure_kind;

namespace {

binrelay::error server_error(std::uint16_t errno_value) {
  binrelay::error e = make_error(errc::server_error, "ERROR {} (HY000): refused", errno_value);
  e.server_errno = errno_value;
  return e;
}

std::vector<std::int64_t> waits(relay::retry_backoff& b, failure_kind kind, int n) {
  std::vector<std::int64_t> out;
  for (int i = 0; i < n; ++i) out.push_back(b.after_failure(kind).count());
  return out;
}

}  // namespace

TEST_CASE("retry_backoff: the source's refusals are permanent, everything else transient") {
  CHECK(relay::classify_failure(server_error(1236)) == failure_kind::permanent);
  CHECK(relay::classify_failure(server_error(1045)) == failure_kind::permanent);
  CHECK(relay::classify_failure(server_error(1130)) == failure_kind::permanent);
  CHECK(relay::classify_failure(make_error(errc::auth_failed, "denied")) ==
        failure_kind::permanent);
  CHECK(relay::classify_failure(server_error(1317)) == failure_kind::transient);
  CHECK(relay::classify_failure(make_error(errc::io_error, "No space left on device")) ==
        failure_kind::transient);
  CHECK(relay::classify_failure(make_error(errc::corrupt, "bad event")) == failure_kind::transient);
  CHECK(relay::classify_failure(make_error(errc::checksum_mismatch, "crc")) ==
        failure_kind::transient);
  CHECK(relay::classify_failure(make_error(errc::closed, "gone")) == failure_kind::transient);
}

TEST_CASE("retry_backoff: transient failures double from the first wait up to the cap") {
  relay::retry_backoff b({1000ms, 8000ms, 60'000ms});
  CHECK(waits(b, failure_kind::transient, 6) ==
        std::vector<std::int64_t>{1000, 2000, 4000, 8000, 8000, 8000});
  CHECK(b.failures() == 6);
}

TEST_CASE("retry_backoff: permanent failures start at the first wait and grow 4x to their cap") {
  relay::retry_backoff b({1000ms, 8000ms, 60'000ms});
  CHECK(waits(b, failure_kind::permanent, 6) ==
        std::vector<std::int64_t>{1000, 4000, 16000, 60000, 60000, 60000});
}

TEST_CASE("retry_backoff: the permanent cap is never below the transient one") {
  relay::retry_backoff b({1000ms, 120'000ms, 60'000ms});
  CHECK(waits(b, failure_kind::permanent, 6).back() == 120'000);
}

TEST_CASE("retry_backoff: progress starts the sequence again") {
  relay::retry_backoff b({500ms, 60'000ms, 60'000ms});
  waits(b, failure_kind::transient, 5);
  b.after_progress();
  CHECK(b.failures() == 0);
  CHECK(b.after_failure(failure_kind::transient) == 500ms);
}

TEST_CASE("retry_backoff: a long run of failures does not overflow") {
  relay::retry_backoff b({1000ms, 60'000ms, 60'000ms});
  auto all = waits(b, failure_kind::transient, 200);
  CHECK(all.back() == 60'000);
}
