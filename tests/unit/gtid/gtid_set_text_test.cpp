// gtid_set text: named parse/print cases and named error cases.

#include <catch2/catch.hpp>

#include "gtid/gtid_set.h"

using namespace binrelay;
using namespace binrelay::gtid;

namespace {

constexpr const char* u1 = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
constexpr const char* u2 = "8fbd4f1e-1c1a-11ee-8a38-0242ac120002";

struct text_case {
  const char* name;
  std::string input;
  std::string printed;  // canonical MySQL text
};

struct error_case {
  const char* name;
  std::string input;
  std::string message_part;  // must appear in the error message
};

}  // namespace

TEST_CASE("gtid_set text: parses and prints as MySQL", "[gtid]") {
  const std::string U1 = u1, U2 = u2;
  const std::vector<text_case> cases = {
      {"empty text is the empty set", "", ""},
      {"only whitespace is the empty set", " \n\t ", ""},
      {"only commas are the empty set", " , ,, ", ""},
      {"single gtid", U1 + ":5", U1 + ":5"},
      {"single interval", U1 + ":1-5", U1 + ":1-5"},
      {"interval of one prints as a number", U1 + ":7-7", U1 + ":7"},
      {"intervals and singles", U1 + ":1-5:7", U1 + ":1-5:7"},
      {"adjacent intervals merge", U1 + ":1-5:6-9", U1 + ":1-9"},
      {"adjacent singles merge", U1 + ":3:1:2", U1 + ":1-3"},
      {"overlapping intervals merge", U1 + ":4-8:1-5", U1 + ":1-8"},
      {"unsorted intervals sort", U1 + ":20:10-12:1", U1 + ":1:10-12:20"},
      {"uppercase uuid prints lowercase", "3E11FA47-71CA-11E1-9E33-C80AA9429562:1", U1 + ":1"},
      {"uuids sort and join with comma newline", U2 + ":1," + U1 + ":2", U1 + ":2,\n" + U2 + ":1"},
      {"repeated uuid merges", U1 + ":1-3," + U2 + ":1," + U1 + ":4", U1 + ":1-4,\n" + U2 + ":1"},
      {"whitespace and newlines anywhere", "\n " + U1 + " : 1 - 3 :\n5 ,\n" + U2 + "\t:\t9 \n",
       U1 + ":1-3:5,\n" + U2 + ":9"},
      {"leading and trailing commas", ",," + U1 + ":1,,", U1 + ":1"},
      {"uuid without intervals adds nothing", U1, ""},
      {"tagged intervals", U1 + ":1-5:tag1:1-3:tag2:7", U1 + ":1-5:tag1:1-3:tag2:7"},
      {"tags sort after untagged", U1 + ":zz:1," + U1 + ":aa:2," + U1 + ":3", U1 + ":3:aa:2:zz:1"},
      {"numbers after a tag belong to the tag", U1 + ":zz:1:aa:2:3", U1 + ":aa:2-3:zz:1"},
      {"tag only", U1 + ":mytag:1-2", U1 + ":mytag:1-2"},
      {"tags normalise to lowercase", U1 + ":MyTag:1:mytag:2", U1 + ":mytag:1-2"},
      {"tag with digits and underscores", U1 + ":_a1_b2:4", U1 + ":_a1_b2:4"},
      {"tag of 32 characters", U1 + ":" + std::string(32, 'x') + ":1",
       U1 + ":" + std::string(32, 'x') + ":1"},
      {"same tag on two uuids", U2 + ":t:1," + U1 + ":t:1", U1 + ":t:1,\n" + U2 + ":t:1"},
      {"largest gno", U1 + ":9223372036854775806", U1 + ":9223372036854775806"},
      {"interval up to the largest gno", U1 + ":1-9223372036854775806",
       U1 + ":1-9223372036854775806"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    auto s = gtid_set::parse(c.input);
    REQUIRE(s);
    CHECK(s->to_string() == c.printed);
    auto again = gtid_set::parse(c.printed);
    REQUIRE(again);
    CHECK(*again == *s);
  }
}

TEST_CASE("gtid_set text: bad text fails naming the part and offset", "[gtid]") {
  const std::string U1 = u1;
  const std::vector<error_case> cases = {
      {"garbage", "hello", "offset 0"},
      {"short uuid", "3e11fa47-71ca-11e1-9e33:1", "offset 0"},
      {"bad hex in uuid", "3e11fa47-71ca-11e1-9e33-c80aa942956g:1", "offset 35"},
      {"missing dash in uuid", "3e11fa47x71ca-11e1-9e33-c80aa9429562:1",
       "expected '-' at offset 8"},
      {"gno zero", U1 + ":0", "start at 1"},
      {"gno zero in interval end", U1 + ":1-0", "offset 39"},
      {"reversed interval", U1 + ":5-1", "ends before it starts"},
      {"gno too large", U1 + ":9223372036854775807", "exceeds"},
      {"gno overflows u64", U1 + ":99999999999999999999999", "exceeds"},
      {"negative gno", U1 + ":-1", "expected a transaction number or a tag"},
      {"missing gno after colon", U1 + ":", "offset 37"},
      {"missing end after dash", U1 + ":1-", "expected a transaction number"},
      {"garbage after gno", U1 + ":1x", "expected ':', ',' or the end"},
      {"two uuids without comma", U1 + ":1 " + U1 + ":2", "offset 39"},
      {"semicolon separator", U1 + ":1;" + U1 + ":2", "found ';"},
      {"tag longer than 32", U1 + ":" + std::string(33, 'a') + ":1", "at most 32"},
      {"tag with a dash", U1 + ":my-tag:1", "offset"},
      {"tag starting with digit is a bad number", U1 + ":1tag:1", "expected ':', ','"},
      {"hex gno", U1 + ":0x10", "offset"},
  };
  for (const auto& c : cases) {
    INFO(c.name << ": " << c.input);
    auto s = gtid_set::parse(c.input);
    REQUIRE_FALSE(s);
    CHECK(s.error().code == errc::invalid_argument);
    CHECK_THAT(s.error().message, Catch::Contains(c.message_part));
  }
}

TEST_CASE("gtid_set text: error message quotes the offending text", "[gtid]") {
  auto s = gtid_set::parse(std::string(u1) + ":1-3:oops!");
  REQUIRE_FALSE(s);
  CHECK(s.error().message ==
        "invalid GTID set at offset 45: expected ':', ',' or the end of the text, found '!'");
}
