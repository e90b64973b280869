// find_relay_log_name: the relay log binrelayd opens when --relay-log-name is not given.

#include <catch2/catch.hpp>

#include <fstream>

#include "daemon/relay_log_name.h"
#include "support/processes.h"

using namespace binrelay::daemon;
using binrelay::test::temp_dir;

TEST_CASE("relay_log_name: a new or default store is relay-bin, an imported one its own name") {
  temp_dir dir;
  CHECK(*find_relay_log_name(dir.path() / "missing") == "relay-bin");
  CHECK(*find_relay_log_name(dir.path()) == "relay-bin");
  std::ofstream(dir.path() / "mysql-bin.index") << "mysql-bin.000001\n";
  std::ofstream(dir.path() / "mysql-bin.000001") << "";
  CHECK(*find_relay_log_name(dir.path()) == "mysql-bin");
  std::ofstream(dir.path() / "relay-bin.index") << "";
  CHECK(*find_relay_log_name(dir.path()) == "relay-bin");
}

TEST_CASE("relay_log_name: several index files are refused, naming them") {
  temp_dir dir;
  std::ofstream(dir.path() / "b-bin.index") << "";
  std::ofstream(dir.path() / "a-bin.index") << "";
  auto r = find_relay_log_name(dir.path());
  REQUIRE_FALSE(r);
  CHECK(r.error().message == dir.path().string() +
                                 " holds several relay logs (a-bin.index, b-bin.index); choose "
                                 "one with --relay-log-name");
}
