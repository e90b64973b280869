// What the IO thread shows (Last_IO_Error) and logs for a run of failed attempts.

#include <catch2/catch.hpp>

#include "relay/failure_report.h"

using namespace binrelay::relay;

namespace {

constexpr const char* enospc =
    "Relay log write failure: relay log relay-bin.000004 at offset 120763: write at offset "
    "118784 failed: No space left on device (errno 28)";
constexpr const char* enospc_elsewhere =
    "Relay log write failure: relay log relay-bin.000004 at offset 180964: write at offset "
    "118784 failed: No space left on device (errno 28)";
constexpr const char* corrupt =
    "corrupt: relay log relay-bin.000004 at offset 60531: Rotate inside a transaction begun at "
    "offset 60531";
constexpr const char* purged =
    "Got fatal error 1236 from source when reading data from binary log: 'Could not find GTID "
    "state requested by slave in any binlog files'";

}  // namespace

TEST_CASE("failure_report: a later failure in the same run keeps the first cause in the status") {
  failure_report r;
  auto first = r.on_failure(1595, enospc, failure_kind::transient);
  CHECK(first.set_status);
  CHECK(first.log);
  auto consequence = r.on_failure(2003, corrupt, failure_kind::transient);
  CHECK_FALSE(consequence.set_status);
  CHECK(consequence.log);  // still logged: it is a different error
}

TEST_CASE("failure_report: the source's refusal replaces the status even within a run") {
  failure_report r;
  (void)r.on_failure(2003, "Can't connect to 127.0.0.1:3306", failure_kind::transient);
  CHECK(r.on_failure(13114, purged, failure_kind::permanent).set_status);
}

TEST_CASE("failure_report: the same error at other offsets is logged once") {
  failure_report r;
  CHECK(r.on_failure(1595, enospc, failure_kind::transient).log);
  CHECK_FALSE(r.on_failure(1595, enospc_elsewhere, failure_kind::transient).log);
  CHECK_FALSE(r.on_failure(1595, enospc, failure_kind::transient).log);
  CHECK(r.on_failure(13114, purged, failure_kind::permanent).log);
  CHECK_FALSE(r.on_failure(13114, purged, failure_kind::permanent).log);
}

TEST_CASE("failure_report: progress ends the run: the next failure sets the status again") {
  failure_report r;
  (void)r.on_failure(1595, enospc, failure_kind::transient);
  r.on_progress();
  auto next = r.on_failure(2003, "Lost connection", failure_kind::transient);
  CHECK(next.set_status);
}
