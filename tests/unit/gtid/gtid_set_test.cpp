// gtid_set operations: named cases (the random cases are in gtid_set_property_test.cpp).

#include <catch2/catch.hpp>

#include "gtid/gtid_set.h"

using namespace binrelay;
using namespace binrelay::gtid;

namespace {

const uuid a = *uuid::parse("3e11fa47-71ca-11e1-9e33-c80aa9429562");
const uuid b = *uuid::parse("8fbd4f1e-1c1a-11ee-8a38-0242ac120002");

gtid_set set(std::string_view text) {
  return *gtid_set::parse(text);
}
std::string text_of(const gtid_set& s) {
  return s.to_string();
}

}  // namespace

TEST_CASE("gtid_set: appending the next gno extends the last interval", "[gtid]") {
  gtid_set s;
  for (std::uint64_t g = 1; g <= 1000; ++g) s.add(a, g);
  s.add(a, 1002);
  REQUIRE(s.entries().size() == 1);
  CHECK(s.entries()[0].intervals == std::vector<interval>{{1, 1001}, {1002, 1003}});
  s.add(a, 1001);
  CHECK(s.entries()[0].intervals == std::vector<interval>{{1, 1003}});
  CHECK(s.count() == 1002);
}

TEST_CASE("gtid_set: adding the next gno does not reallocate", "[gtid]") {
  gtid_set s;
  s.add(a, 1);
  s.add(b, "t", 1);
  const interval* before_a = s.find(a, "")->data();
  const interval* before_b = s.find(b, "t")->data();
  for (std::uint64_t g = 2; g < 100000; ++g) {
    s.add(a, g);
    s.add(b, "t", g);
  }
  CHECK(s.find(a, "")->data() == before_a);
  CHECK(s.find(b, "t")->data() == before_b);
  CHECK(text_of(s) == text_of(set("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-99999,"
                                  "8fbd4f1e-1c1a-11ee-8a38-0242ac120002:t:1-99999")));
}

TEST_CASE("gtid_set: adding a gno already present changes nothing", "[gtid]") {
  gtid_set s = set("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:9");
  const gtid_set before = s;
  s.add(a, 3);
  s.add(a, 9);
  CHECK(s == before);
}

TEST_CASE("gtid_set: a gno filling a gap joins both neighbours", "[gtid]") {
  gtid_set s = set("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7-9:20");
  s.add(a, 6);
  CHECK(text_of(s) == "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-9:20");
}

TEST_CASE("gtid_set: union, intersection and difference", "[gtid]") {
  const gtid_set x = set("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-10:t:1-3");
  const gtid_set y =
      set("3e11fa47-71ca-11e1-9e33-c80aa9429562:5-15,"
          "8fbd4f1e-1c1a-11ee-8a38-0242ac120002:1");
  CHECK(text_of(set_union(x, y)) ==
        "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-15:t:1-3,\n"
        "8fbd4f1e-1c1a-11ee-8a38-0242ac120002:1");
  CHECK(text_of(set_intersection(x, y)) == "3e11fa47-71ca-11e1-9e33-c80aa9429562:5-10");
  CHECK(text_of(set_difference(x, y)) == "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-4:t:1-3");
  CHECK(text_of(set_difference(y, x)) ==
        "3e11fa47-71ca-11e1-9e33-c80aa9429562:11-15,\n"
        "8fbd4f1e-1c1a-11ee-8a38-0242ac120002:1");
}

TEST_CASE("gtid_set: subtracting the middle splits an interval", "[gtid]") {
  gtid_set s = set("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-10");
  s.subtract(set("3e11fa47-71ca-11e1-9e33-c80aa9429562:4-6"));
  CHECK(text_of(s) == "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-3:7-10");
}

TEST_CASE("gtid_set: operations with itself", "[gtid]") {
  gtid_set s = set("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-10");
  const gtid_set copy = s;
  s.add(s);
  CHECK(s == copy);
  s.intersect(s);
  CHECK(s == copy);
  CHECK(s.is_subset_of(s));
  s.subtract(s);
  CHECK(s.empty());
}

TEST_CASE("gtid_set: tags are separate from the untagged gnos of a uuid", "[gtid]") {
  const gtid_set s = set("3e11fa47-71ca-11e1-9e33-c80aa9429562:t:1-3");
  CHECK(s.contains(a, "t", 2));
  CHECK_FALSE(s.contains(a, 2));
  CHECK_FALSE(s.contains(a, "u", 2));
  CHECK_FALSE(s.is_subset_of(set("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-3")));
  CHECK(s.is_subset_of(set("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-3:t:1-4")));
}

TEST_CASE("gtid_set: subset and emptiness", "[gtid]") {
  const gtid_set empty;
  const gtid_set s = set("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:8");
  CHECK(empty.is_subset_of(s));
  CHECK(empty.is_subset_of(empty));
  CHECK_FALSE(s.is_subset_of(empty));
  CHECK(s.is_subset_of(set("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-8")));
  CHECK_FALSE(s.is_subset_of(set("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-7")));
  CHECK(s.is_subset_of(set("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-3:4-5:8")));
  CHECK(empty.count() == 0);
  CHECK(s.count() == 6);
  CHECK(text_of(empty) == "");
}

TEST_CASE("gtid_set: intersection and difference drop emptied entries", "[gtid]") {
  gtid_set s =
      set("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5,8fbd4f1e-1c1a-11ee-8a38-0242ac120002:1");
  s.subtract(set("8fbd4f1e-1c1a-11ee-8a38-0242ac120002:1"));
  CHECK(s.entries().size() == 1);
  CHECK(s == set("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5"));
  s.intersect(set("8fbd4f1e-1c1a-11ee-8a38-0242ac120002:1-5"));
  CHECK(s.empty());
  CHECK(s == gtid_set{});
}

TEST_CASE("gtid_set: the largest gno is usable", "[gtid]") {
  gtid_set s;
  s.add(a, max_gno);
  s.add(a, max_gno - 1);
  CHECK(s.contains(a, max_gno));
  CHECK(s.count() == 2);
  CHECK(text_of(s) ==
        "3e11fa47-71ca-11e1-9e33-c80aa9429562:9223372036854775805-9223372036854775806");
}
