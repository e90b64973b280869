// source_version: the primary's version remembered across restarts in DATA_DIR/source-version.

#include <catch2/catch.hpp>

#include <fstream>

#include "daemon/source_version.h"
#include "support/processes.h"

using namespace binrelay::daemon;
using binrelay::test::temp_dir;

TEST_CASE("source_version: unknown until remembered, then read back by the next run") {
  temp_dir dir;
  {
    source_version v(dir.path());
    CHECK(v.get().empty());
    CHECK_FALSE(std::filesystem::exists(v.file()));
    v.remember("");
    CHECK_FALSE(std::filesystem::exists(v.file()));
    v.remember("10.11.6-MariaDB-log");
    CHECK(v.get() == "10.11.6-MariaDB-log");
  }
  source_version again(dir.path());
  CHECK(again.get() == "10.11.6-MariaDB-log");
  again.remember("8.0.36");
  CHECK(source_version(dir.path()).get() == "8.0.36");
}

TEST_CASE("source_version: an unreadable file means unknown") {
  temp_dir dir;
  std::filesystem::create_directory(dir.path() / "source-version");  // a directory: unreadable
  source_version v(dir.path());
  CHECK(v.get().empty());
}
