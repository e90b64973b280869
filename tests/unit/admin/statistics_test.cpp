#include <catch2/catch.hpp>

#include "admin/statistics.h"

using namespace binrelay::admin;

TEST_CASE("statistics: COM_STATISTICS text in mysqld's words") {
  CHECK(statistics_text(std::chrono::seconds(40), 3, 10) ==
        "Uptime: 40  Threads: 3  Questions: 10  Slow queries: 0  Opens: 0  Flush tables: 0  "
        "Open tables: 0  Queries per second avg: 0.250");
  CHECK_THAT(statistics_text(std::chrono::seconds(0), 1, 5),
             Catch::EndsWith("Queries per second avg: 0.000"));
}
