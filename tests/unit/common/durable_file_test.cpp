#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "common/durable_file.h"
#include "support/processes.h"

using namespace binrelay;
namespace fs = std::filesystem;

namespace {
std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

unsigned mode_of(const fs::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 0777;
}
}  // namespace

TEST_CASE("durable_file: a new file gets the content and the mode, and no temporary is left") {
  test::temp_dir dir;
  fs::path p = dir.path() / "state";
  REQUIRE(write_file_durably(p, "one\n", 0600));
  CHECK(slurp(p) == "one\n");
  CHECK(mode_of(p) == 0600);
  CHECK_FALSE(fs::exists(dir.path() / "state.tmp"));
}

TEST_CASE("durable_file: replacing a file swaps the whole content, shorter included") {
  test::temp_dir dir;
  fs::path p = dir.path() / "state";
  REQUIRE(write_file_durably(p, std::string(10000, 'x')));
  REQUIRE(write_file_durably(p, "short"));
  CHECK(slurp(p) == "short");
  CHECK(mode_of(p) == 0644);
  REQUIRE(write_file_durably(p, ""));
  CHECK(fs::file_size(p) == 0);
}

TEST_CASE("durable_file: a stale temporary from a crash is overwritten, not appended to") {
  test::temp_dir dir;
  fs::path p = dir.path() / "state";
  { std::ofstream(dir.path() / "state.tmp") << "left over by a crash, longer than the content"; }
  REQUIRE(write_file_durably(p, "new"));
  CHECK(slurp(p) == "new");
  CHECK_FALSE(fs::exists(dir.path() / "state.tmp"));
}

TEST_CASE("durable_file: a missing directory is an io_error naming the file and errno") {
  test::temp_dir dir;
  auto r = write_file_durably(dir.path() / "missing" / "state", "x");
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::io_error);
  CHECK_THAT(r.error().message, Catch::Contains("missing/state.tmp"));
  CHECK_THAT(r.error().message, Catch::Contains("No such file or directory (errno 2)"));
}

TEST_CASE("durable_file: a failed rename leaves the old file intact and no temporary") {
  test::temp_dir dir;
  fs::path p = dir.path() / "state";
  fs::create_directory(p);  // rename(2) cannot replace a directory with a file
  auto r = write_file_durably(p, "x");
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::io_error);
  CHECK_THAT(r.error().message, Catch::Contains("cannot rename"));
  CHECK(fs::is_directory(p));
  CHECK_FALSE(fs::exists(dir.path() / "state.tmp"));
}

TEST_CASE("durable_file: sync_directory fails on a path that is not a directory") {
  test::temp_dir dir;
  REQUIRE(sync_directory(dir.path()));
  REQUIRE(write_file_durably(dir.path() / "f", "x"));
  auto r = sync_directory(dir.path() / "f");
  REQUIRE_FALSE(r);
  CHECK_THAT(r.error().message, Catch::Contains("errno 20"));
}
