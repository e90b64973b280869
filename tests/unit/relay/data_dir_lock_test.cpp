#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include <unistd.h>

#include "relay/data_dir_lock.h"
#include "support/processes.h"

using namespace binrelay;
using binrelay::test::temp_dir;

TEST_CASE("data_dir_lock: a second holder is refused naming the first one's pid and program") {
  temp_dir dir;
  auto first = relay::data_dir_lock::acquire(dir.path() / "data", "binrelayd");
  REQUIRE(first);
  std::ifstream in(dir.path() / "data" / "binrelayd.pid");
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str() == std::to_string(::getpid()) + " binrelayd\n");

  auto second = relay::data_dir_lock::acquire(dir.path() / "data", "binrelay-import");
  REQUIRE_FALSE(second);
  CHECK(second.error().code == errc::invalid_argument);
  CHECK_THAT(second.error().message,
             Catch::Contains("in use by another process (pid and program: " +
                             std::to_string(::getpid()) + " binrelayd"));
}

TEST_CASE("data_dir_lock: released by its owner's end, a stale pid file does not block") {
  temp_dir dir;
  std::ofstream(dir.path() / "binrelayd.pid") << "999999 binrelayd\n";  // left by a kill -9
  {
    auto held = relay::data_dir_lock::acquire(dir.path(), "binrelayd");
    REQUIRE(held);
  }
  auto again = relay::data_dir_lock::acquire(dir.path(), "binrelayd");
  CHECK(again);
}
