#include <catch2/catch.hpp>

#include "gtid/mariadb_gtid.h"

using namespace binrelay;
using namespace binrelay::gtid;

namespace {
mariadb_gtid_position pos(std::string_view text) {
  return *mariadb_gtid_position::parse(text);
}
}  // namespace

TEST_CASE("mariadb_gtid: parses and prints domain-server-seq", "[gtid]") {
  struct good {
    const char* name;
    const char* text;
    mariadb_gtid expected;
    const char* printed;
  };
  const good cases[] = {
      {"plain", "0-1-100", {0, 1, 100}, "0-1-100"},
      {"whitespace around", " \t1-2-3\n", {1, 2, 3}, "1-2-3"},
      {"whitespace around dashes", "1 - 2 - 3", {1, 2, 3}, "1-2-3"},
      {"largest values",
       "4294967295-4294967295-18446744073709551615",
       {4294967295u, 4294967295u, 18446744073709551615ull},
       "4294967295-4294967295-18446744073709551615"},
      {"zero seq", "0-0-0", {0, 0, 0}, "0-0-0"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    auto g = mariadb_gtid::parse(c.text);
    REQUIRE(g);
    CHECK(*g == c.expected);
    CHECK(g->to_string() == c.printed);
  }
}

TEST_CASE("mariadb_gtid: bad text fails naming the part", "[gtid]") {
  struct bad {
    const char* text;
    const char* message_part;
  };
  const bad cases[] = {
      {"", "expected domain-server-seq"},
      {"0-1", "expected domain-server-seq"},
      {"0-1-2-3", "expected domain-server-seq"},
      {"x-1-2", "domain id 'x' at offset 0 is not a number"},
      {"0--2", "server id '' at offset 2 is not a number"},
      {"0-1-", "sequence number '' at offset 4"},
      {"4294967296-1-2", "domain id '4294967296' at offset 0 is out of range"},
      {"0-4294967296-2", "server id '4294967296' at offset 2 is out of range"},
      {"0-1-18446744073709551616", "out of range"},
      {"0-1-2x", "sequence number '2x'"},
      {"0-1-+2", "sequence number '+2'"},
      {"0-1-2 3", "sequence number '2 3'"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    auto g = mariadb_gtid::parse(c.text);
    REQUIRE_FALSE(g);
    CHECK(g.error().code == errc::invalid_argument);
    CHECK_THAT(g.error().message, Catch::Contains(c.message_part));
  }
}

TEST_CASE("mariadb_gtid_position: parses lists and prints sorted by domain", "[gtid]") {
  CHECK(pos("").empty());
  CHECK(pos("  \n").to_string() == "");
  CHECK(pos("0-1-100").to_string() == "0-1-100");
  CHECK(pos("2-5-7, 0-1-100 ,\n1-2-5").to_string() == "0-1-100,1-2-5,2-5-7");
  CHECK(pos("2-5-7,0-1-100") == pos("0-1-100,2-5-7"));
  CHECK(pos("0-1-100").size() == 1);
}

TEST_CASE("mariadb_gtid_position: bad lists fail", "[gtid]") {
  CHECK_THAT(mariadb_gtid_position::parse("0-1-1,0-2-3").error().message,
             Catch::Contains("0-1-1 and 0-2-3 conflict (duplicate domain id 0)"));
  CHECK_THAT(mariadb_gtid_position::parse("0-1-1,,1-1-1").error().message,
             Catch::Contains("empty element at offset 6"));
  CHECK_THAT(mariadb_gtid_position::parse("0-1-1,").error().message,
             Catch::Contains("empty element"));
  CHECK_THAT(mariadb_gtid_position::parse("0-1-1,1-x-1").error().message,
             Catch::Contains("element at offset 6: MariaDB GTID '1-x-1': server id 'x'"));
}

TEST_CASE("mariadb_gtid_position: update replaces the domain's gtid", "[gtid]") {
  mariadb_gtid_position p = pos("0-1-100,1-2-5");
  p.update({0, 3, 101});
  p.update({7, 1, 1});
  CHECK(p.to_string() == "0-3-101,1-2-5,7-1-1");
  REQUIRE(p.get(0) != nullptr);
  CHECK(*p.get(0) == mariadb_gtid{0, 3, 101});
  CHECK(p.get(5) == nullptr);
  CHECK(p.erase(1));
  CHECK_FALSE(p.erase(1));
  CHECK(p.to_string() == "0-3-101,7-1-1");
}

TEST_CASE("mariadb_gtid_position: contains means same domain and seq not beyond", "[gtid]") {
  const mariadb_gtid_position p = pos("0-1-100,1-2-5");
  CHECK(p.contains({0, 1, 100}));
  CHECK(p.contains({0, 9, 50}));  // the server id does not matter
  CHECK_FALSE(p.contains({0, 1, 101}));
  CHECK(p.contains({1, 2, 5}));
  CHECK_FALSE(p.contains({2, 1, 1}));
  CHECK(p.includes(pos("0-1-99")));
  CHECK(p.includes(pos("")));
  CHECK_FALSE(p.includes(pos("0-1-99,1-2-6")));
  CHECK_FALSE(p.includes(pos("3-1-1")));
}
