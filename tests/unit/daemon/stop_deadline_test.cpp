// stop_deadline: a stop that hangs ends the process; one in time does nothing.

#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "daemon/stop_deadline.h"

using namespace binrelay::daemon;
using namespace std::chrono_literals;

TEST_CASE("stop_deadline: a stop that outlasts the limit ends the process with status 1") {
  pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    bool ran = false;
    {
      stop_deadline deadline(50ms, [&ran] { ran = true; });
      deadline.arm();
      std::this_thread::sleep_for(5s);  // a stop that hangs
    }
    ::_exit(ran ? 3 : 4);  // not reached when the deadline works
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 1);
}

TEST_CASE("stop_deadline: a stop within the limit, or no stop at all, does nothing") {
  auto start = std::chrono::steady_clock::now();
  {
    stop_deadline deadline(10s, {});
    deadline.arm();
    deadline.arm();
  }
  { stop_deadline never_armed(1ms, {}); }
  CHECK(std::chrono::steady_clock::now() - start < 2s);
}
