// option_file_flags: a config file fills the same CLI11 options as the command line.

#include <catch2/catch.hpp>

#include "daemon/option_file_flags.h"

using namespace binrelay;
using namespace binrelay::daemon;

namespace {

struct options {
  CLI::App app;
  std::string data_dir;
  std::uint64_t max_size = 100;
  std::vector<std::string> upstreams;
  bool compress = false;
  std::string level = "info";
  std::string config;

  options() {
    app.add_option("--config", config)->configurable(false);
    app.add_option("--data-dir", data_dir);
    app.add_option("--relay-log-max-size", max_size);
    app.add_option("--upstream", upstreams);
    app.add_flag("--upstream-compress", compress);
    app.add_option("--log-level", level)->check(CLI::IsMember({"debug", "info"}));
    app.add_option("--admin-password-file", config);
  }

  // Parses `args` as the command line, then `file` as /etc/b.cnf.
  std::vector<std::string> load(std::vector<std::string> args, std::string_view file) {
    std::reverse(args.begin(), args.end());
    app.parse(args);
    const std::vector<std::string> groups{"binrelayd"};
    auto entries = parse_option_file(file, "/etc/b.cnf", groups);
    REQUIRE(entries);
    return apply_option_file(app, *entries);
  }
};

std::string refusal(std::string_view file) {
  options o;
  try {
    o.load({}, file);
  } catch (const option_file_error& e) {
    return e.what();
  }
  FAIL("the file was accepted");
  return {};
}

}  // namespace

TEST_CASE("option_file_flags: the file sets options, the command line wins") {
  options o;
  auto warnings =
      o.load({"--relay-log-max-size", "5"},
             "[binrelayd]\ndata_dir = /d\nrelay-log-max-size = 7\nupstream = a:1\n"
             "upstream = b:2\nupstream-compress\nlog-level = info\nlog-level = debug\n");
  CHECK(warnings.empty());
  CHECK(o.data_dir == "/d");
  CHECK(o.max_size == 5);
  CHECK(o.upstreams == std::vector<std::string>{"a:1", "b:2"});
  CHECK(o.compress);
  CHECK(o.level == "debug");
}

TEST_CASE("option_file_flags: a flag takes an explicit boolean") {
  options o;
  o.load({}, "[binrelayd]\nupstream-compress = 0\n");
  CHECK_FALSE(o.compress);
  options p;
  p.load({}, "[binrelayd]\nupstream-compress = on\n");
  CHECK(p.compress);
}

TEST_CASE("option_file_flags: unknown keys and bad values are refused with file and line") {
  CHECK(refusal("[binrelayd]\n\nrelay-log-max-sise = 1000000\n") ==
        "/etc/b.cnf:3: unknown option 'relay-log-max-sise' (binrelayd --help lists them)");
  CHECK_THAT(refusal("[binrelayd]\nrelay-log-max-size = big\n"),
             Catch::StartsWith("/etc/b.cnf:2: bad value for 'relay-log-max-size'"));
  CHECK_THAT(
      refusal("[binrelayd]\nlog-level = verbose\n"),
      Catch::StartsWith("/etc/b.cnf:2: bad value for 'log-level'") && Catch::Contains("verbose"));
  CHECK_THAT(refusal("[binrelayd]\nupstream-compress = maybe\n"),
             Catch::StartsWith("/etc/b.cnf:2: bad value for 'upstream-compress'"));
  CHECK(refusal("[binrelayd]\ndata-dir\n") ==
        "/etc/b.cnf:2: 'data-dir' needs a value (data-dir = ...)");
  CHECK(refusal("[binrelayd]\nconfig = /other.cnf\n") ==
        "/etc/b.cnf:2: 'config' cannot be set in a config file");
}

TEST_CASE("option_file_flags: a password in the file is refused and names the -file option") {
  CHECK(refusal("[binrelayd]\nadmin-password = secret\n") ==
        "/etc/b.cnf:2: passwords are not read from config files; put it alone in a file (mode "
        "0600) and name that file with 'admin-password-file'");
}

TEST_CASE("option_file_flags: loose- keys of unknown options are warnings, known ones apply") {
  options o;
  auto warnings = o.load({}, "[binrelayd]\nloose-future-option = 1\nloose-data-dir = /l\n");
  CHECK(o.data_dir == "/l");
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0] == "/etc/b.cnf:2: ignoring unknown option 'loose-future-option'");
}
