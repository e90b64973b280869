#include <catch2/catch.hpp>

#include <unordered_set>

#include "gtid/tag.h"
#include "gtid/uuid.h"

using namespace binrelay;
using namespace binrelay::gtid;

TEST_CASE("uuid: parses either case and prints lowercase with dashes", "[gtid]") {
  auto u = uuid::parse("3E11FA47-71ca-11E1-9e33-C80AA9429562");
  REQUIRE(u);
  CHECK(u->to_string() == "3e11fa47-71ca-11e1-9e33-c80aa9429562");
  CHECK(u->bytes[0] == 0x3e);
  CHECK(u->bytes[15] == 0x62);
  CHECK(uuid::from_bytes(u->bytes) == *u);
  CHECK_FALSE(u->is_nil());
  CHECK(uuid{}.is_nil());
  CHECK(uuid{}.to_string() == "00000000-0000-0000-0000-000000000000");
}

TEST_CASE("uuid: bad text fails naming the character and offset", "[gtid]") {
  struct bad {
    const char* text;
    const char* message_part;
  };
  const bad cases[] = {
      {"", "has 0 characters, expected 36"},
      {"3e11fa4771ca11e19e33c80aa9429562", "has 32 characters"},
      {"3e11fa47-71ca-11e1-9e33-c80aa94295621", "has 37 characters"},
      {"3e11fa47_71ca-11e1-9e33-c80aa9429562", "expected '-' at offset 8, found '_'"},
      {"3e11fa47-71ca-11e1-9e33-c80aa942956z", "hex digit at offset 35, found 'z'"},
      {"g e11fa47-71ca-11e1-9e33-c80aa942956", "hex digit at offset 0"},
      {"3e11fa47-71ca-11e1-9e33-c80aa9429\x01"
       "62",
       "offset 33, found byte 0x01"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    auto u = uuid::parse(c.text);
    REQUIRE_FALSE(u);
    CHECK(u.error().code == errc::invalid_argument);
    CHECK_THAT(u.error().message, Catch::Contains(c.message_part));
  }
}

TEST_CASE("uuid: orders bytewise like its text, and hashes", "[gtid]") {
  const uuid a = *uuid::parse("00000000-0000-0000-0000-0000000000ff");
  const uuid b = *uuid::parse("00000000-0000-0000-0000-000000000100");
  const uuid c = *uuid::parse("10000000-0000-0000-0000-000000000000");
  CHECK(a < b);
  CHECK(b < c);
  CHECK(a.to_string() < b.to_string());
  CHECK(a != b);
  std::unordered_set<uuid> set{a, b, c, a};
  CHECK(set.size() == 3);
  CHECK(std::hash<uuid>{}(a) != std::hash<uuid>{}(b));
}

TEST_CASE("tag: validates and normalises to lowercase", "[gtid]") {
  CHECK(*normalise_tag("My_Tag9") == "my_tag9");
  CHECK(*normalise_tag("_") == "_");
  CHECK(*normalise_tag(std::string(32, 'Z')) == std::string(32, 'z'));
  CHECK_THAT(normalise_tag("").error().message, Catch::Contains("empty"));
  CHECK_THAT(normalise_tag(std::string(33, 'a')).error().message, Catch::Contains("at most 32"));
  CHECK_THAT(normalise_tag("9a").error().message, Catch::Contains("character 0"));
  CHECK_THAT(normalise_tag("a-b").error().message, Catch::Contains("character 1"));
  CHECK(is_normalised_tag(""));
  CHECK(is_normalised_tag("abc_1"));
  CHECK_FALSE(is_normalised_tag("Abc"));
  CHECK_FALSE(is_normalised_tag("1abc"));
  CHECK_FALSE(is_normalised_tag(std::string(33, 'a')));
}
