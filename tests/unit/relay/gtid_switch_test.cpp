// GTID-safe switching: what a new source lacks and what it has that binrelayd never followed.

#include <catch2/catch.hpp>

#include "relay/gtid_switch.h"

using namespace binrelay;
using namespace binrelay::relay;

namespace {

constexpr const char* a = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
constexpr const char* b = "4e11fa47-71ca-11e1-9e33-c80aa9429562";

gtid::gtid_state mysql(const std::string& text) {
  gtid::gtid_state s;
  s.mysql = *gtid::gtid_set::parse(text);
  return s;
}

gtid::gtid_state mariadb(const std::string& text) {
  gtid::gtid_state s;
  s.mariadb = true;
  s.position = *gtid::mariadb_gtid_position::parse(text);
  return s;
}

}  // namespace

TEST_CASE("gtid switch: a candidate holding everything binrelayd holds is fine") {
  auto c = compare_for_switch(mysql(std::string(a) + ":1-10"), mysql(std::string(a) + ":1-12"));
  CHECK(c.missing.empty());
  CHECK(c.extra.empty());  // more of a server we follow: plain auto-position
}

TEST_CASE("gtid switch: a candidate lacking transactions names exactly the missing GTIDs") {
  auto c = compare_for_switch(mysql(std::string(a) + ":1-10," + b + ":1-3"),
                              mysql(std::string(a) + ":1-7"));
  CHECK(c.missing == std::string(a) + ":8-10," + b + ":1-3");
}

TEST_CASE("gtid switch: GTIDs of a server binrelayd never followed are extra") {
  auto c = compare_for_switch(mysql(std::string(a) + ":1-10"),
                              mysql(std::string(a) + ":1-10," + b + ":1-2"));
  CHECK(c.missing.empty());
  CHECK(c.extra == std::string(b) + ":1-2");
}

TEST_CASE("gtid switch: MariaDB positions compare per domain") {
  auto c = compare_for_switch(mariadb("0-1-100,1-2-5"), mariadb("0-3-90,2-4-7"));
  CHECK(c.missing == "0-1-100 (it has 0-3-90),1-2-5 (domain 1 absent)");
  CHECK(c.extra == "2-4-7");
  CHECK(compare_for_switch(mariadb("0-1-100"), mariadb("0-3-100")).missing.empty());
}
