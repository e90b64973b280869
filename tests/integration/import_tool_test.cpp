// The binrelay-import command as an operator runs it: what it prints on success, and that a
// refused input exits non-zero with the file and offset named and leaves no store behind.

#include <catch2/catch.hpp>

#include "support/fixtures.h"
#include "support/processes.h"

using namespace binrelay;
namespace fs = std::filesystem;

namespace {

const std::string std_data = "enhancedformysql__mysql-8.0.40/mysql-test/std_data/";

struct run_result {
  int status = -1;
  std::string output;
};

run_result run_import(const fs::path& dir, const std::vector<std::string>& fixtures) {
  std::vector<std::string> argv{test::import_path().string(), "--data-dir", dir.string()};
  for (const auto& f : fixtures) argv.push_back((test::fixtures_dir() / f).string());
  test::child_process p(argv, dir.parent_path() / (dir.filename().string() + ".log"));
  run_result r;
  r.status = p.wait();
  r.output = p.log();
  return r;
}

}  // namespace

TEST_CASE("binrelay-import: imports binlog files and says how to serve them", "[import]") {
  test::temp_dir tmp;
  fs::path dir = tmp.path() / "store";
  auto r =
      run_import(dir, {std_data + "replicated-bin.000001", std_data + "replicated-bin.000002"});
  INFO(r.output);
  CHECK(r.status == 0);
  CHECK_THAT(r.output,
             Catch::Contains("replicated-bin.000001 -> replicated-bin.000001: 1622 bytes, 5 "
                             "transactions, GTIDs before: (none)") &&
                 Catch::Contains("replicated-bin.000003: header events only; the store "
                                 "continues here") &&
                 Catch::Contains("retrieved GTIDs: 2d6e8214-9918-11ec-ac13-0010e0dc39c0:1-9") &&
                 Catch::Contains("serve it with: binrelayd --data-dir " + dir.string() +
                                 " --relay-log-name replicated-bin"));
  CHECK(fs::exists(dir / "replicated-bin.index"));
}

TEST_CASE("binrelay-import: a corrupt file exits 1 naming the file and offset, writes nothing",
          "[import]") {
  test::temp_dir tmp;
  fs::path dir = tmp.path() / "store";
  auto r = run_import(
      dir, {std_data + "replicated-bin.000001", std_data + "binlog_recovery/duplicate_xid.000001"});
  INFO(r.output);
  CHECK(r.status == 1);
  CHECK_THAT(r.output,
             Catch::StartsWith("binrelay-import: checksum mismatch: duplicate_xid.000001") &&
                 Catch::Contains("offset 672"));
  CHECK_FALSE(fs::exists(dir));
}

TEST_CASE("binrelay-import: files that are not one log exit 1, no directory is created",
          "[import]") {
  test::temp_dir tmp;
  fs::path dir = tmp.path() / "store";
  auto r = run_import(dir, {"flike__kingbus/tools/test_data/binlog/mysql_bin.000011",
                            "flike__kingbus/tools/test_data/binlog/mysql_bin.000013"});
  INFO(r.output);
  CHECK(r.status == 1);
  CHECK_THAT(r.output, Catch::Contains("mysql_bin.000011 rotates to mysql_bin.000012, but the "
                                       "next file given is mysql_bin.000013"));
  CHECK_FALSE(fs::exists(dir));
}
