// option_file: my.cnf-style files, the [binrelayd] group only, errors naming file and line.

#include <catch2/catch.hpp>

#include <fstream>

#include "common/option_file.h"
#include "support/processes.h"

using namespace binrelay;

namespace {

const std::vector<std::string> ours{"binrelayd"};

std::vector<option_file_entry> parse_ok(std::string_view text) {
  auto r = parse_option_file(text, "/etc/my.cnf", ours);
  INFO((r ? std::string() : r.error().message));
  REQUIRE(r);
  return *r;
}

std::string parse_error(std::string_view text) {
  auto r = parse_option_file(text, "/etc/my.cnf", ours);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::invalid_argument);
  return r.error().message;
}

void write(const std::filesystem::path& p, std::string_view text) {
  std::ofstream(p) << text;
}

}  // namespace

TEST_CASE("option_file: only the binrelayd group is read, with every key syntax") {
  auto entries = parse_ok(
      "# a my.cnf shared with the server\n"
      "[client]\n"
      "user = root\n"
      "[mysqld]\n"
      "innodb_buffer_pool_size=1G\n"
      "skip-name-resolve\n"
      "[BinRelayD]   # our group, any case\n"
      "data-dir = /var/lib/binrelay\n"
      "relay_log_max_size=1000000\n"
      "  ; a comment\n"
      "upstream-compress\n"
      "server-version = \"8.0.36 # not a comment\"  # a comment\n"
      "log-level = info   # trailing comment\n"
      "empty =\n"
      "[mysqldump]\n"
      "quick\n");
  REQUIRE(entries.size() == 6);
  CHECK(entries[0].key == "data-dir");
  CHECK(entries[0].value == "/var/lib/binrelay");
  CHECK(entries[0].where() == "/etc/my.cnf:8");
  CHECK(entries[1].key == "relay-log-max-size");
  CHECK(entries[1].value == "1000000");
  CHECK(entries[2].key == "upstream-compress");
  CHECK_FALSE(entries[2].value.has_value());
  CHECK(entries[3].value == "8.0.36 # not a comment");
  CHECK(entries[4].value == "info");
  CHECK(entries[4].line == 13);
  CHECK(entries[5].value == "");
}

TEST_CASE("option_file: quoted values keep spaces and read backslash escapes") {
  auto entries = parse_ok("[binrelayd]\na = 'two  words'\nb = \"tab\\there \\\"q\\\"\"\n");
  REQUIRE(entries.size() == 2);
  CHECK(entries[0].value == "two  words");
  CHECK(entries[1].value == "tab\there \"q\"");
}

TEST_CASE("option_file: malformed lines are refused with file and line") {
  CHECK(parse_error("[binrelayd\n") == "/etc/my.cnf:1: group header without ']'");
  CHECK(parse_error("[binrelayd]\n\n[]\n") == "/etc/my.cnf:3: empty group name");
  CHECK(parse_error("[binrelayd]\nkey = 'open\n") == "/etc/my.cnf:2: key: unterminated quote");
  CHECK(parse_error("[binrelayd]\nkey = 'v' x\n") ==
        "/etc/my.cnf:2: key: text after the closing quote");
  CHECK(parse_error("[binrelayd]\nbad key = 1\n") ==
        "/etc/my.cnf:2: 'bad key' is not an option name");
  CHECK(parse_error("[binrelayd]\n= 1\n") == "/etc/my.cnf:2: '' is not an option name");
  CHECK(parse_error("[binrelayd]\n!include x.cnf\n") ==
        "/etc/my.cnf:2: !include is not allowed here");
}

TEST_CASE("option_file: lines before any group header are ours, a file for binrelayd alone") {
  auto entries = parse_ok("data-dir = /x\n[mysqld]\nport = 3306\n");
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].key == "data-dir");
  CHECK(entries[0].where() == "/etc/my.cnf:1");
}

TEST_CASE("option_file: other groups may hold syntax we do not read") {
  auto entries =
      parse_ok("[mysqld]\nplugin-load-add = 'a;b'\nset-variable=x=1\n[binrelayd]\nsync=none\n");
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].key == "sync");
}

TEST_CASE("option_file: !include and !includedir read other files, errors name the included file") {
  test::temp_dir dir;
  std::filesystem::create_directory(dir.path() / "conf.d");
  write(dir.path() / "conf.d" / "20-b.cnf", "[binrelayd]\nlog-level = debug\n");
  write(dir.path() / "conf.d" / "10-a.cnf", "[binrelayd]\nsync = none\n");
  write(dir.path() / "conf.d" / "ignored.txt", "[binrelayd]\nnot read\n");
  write(dir.path() / "main.cnf", "[binrelayd]\ndata-dir=/d\n!includedir conf.d\nserver-id=7\n");
  auto r = read_option_file(dir.path() / "main.cnf", ours);
  REQUIRE(r);
  REQUIRE(r->size() == 4);
  CHECK((*r)[0].key == "data-dir");
  CHECK((*r)[1].key == "sync");
  CHECK((*r)[1].file == (dir.path() / "conf.d" / "10-a.cnf").string());
  CHECK((*r)[2].key == "log-level");
  CHECK((*r)[3].key == "server-id");

  write(dir.path() / "conf.d" / "30-bad.cnf", "[binrelayd]\n\nbroken line = 1\n");
  auto bad = read_option_file(dir.path() / "main.cnf", ours);
  REQUIRE_FALSE(bad);
  CHECK_THAT(bad.error().message,
             Catch::Contains("30-bad.cnf:3: 'broken line' is not an option name"));
  CHECK_THAT(bad.error().message, Catch::StartsWith((dir.path() / "main.cnf").string() + ":3: "));
}

TEST_CASE("option_file: a missing file and an include loop are errors") {
  test::temp_dir dir;
  auto missing = read_option_file(dir.path() / "none.cnf", ours);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == errc::io_error);
  CHECK_THAT(missing.error().message, Catch::Contains("none.cnf"));
  write(dir.path() / "loop.cnf", "[binrelayd]\n!include loop.cnf\n");
  auto loop = read_option_file(dir.path() / "loop.cnf", ours);
  REQUIRE_FALSE(loop);
  CHECK_THAT(loop.error().message, Catch::Contains("nested more than 10 deep"));
}
