// Rows rendered as `mysqlbinlog -vv` compared line by line with real mysqlbinlog output:
// (a) the expected texts shipped with fixtures (EXPECTED.md), (b) mariadb-binlog run now on
// every fixture it can decode.

#include <catch2/catch.hpp>

#include <filesystem>

#include "rows_test_support.h"
#include "support/fixtures.h"
#include "support/mariadb_server.h"

namespace binrelay::binlog::test {
namespace {

using binrelay::test::fixtures_dir;
using binrelay::test::read_file;

void compare_with_expected(const std::string& binlog, const std::string& expected_text) {
  auto ours = render_rows(read_file(fixtures_dir() / binlog));
  auto text = read_file(fixtures_dir() / expected_text);
  std::string expected = hash_lines(std::string(text.begin(), text.end()));
  INFO(binlog);
  REQUIRE_FALSE(expected.empty());
  CHECK(ours == expected);
}

}  // namespace

TEST_CASE("rows: -vv text equals the mysqlbinlog output shipped with zalora fixtures") {
  // MySQL 5.6.35 / 5.7 / MariaDB 10.0.15: INT, TINYINT, VARSTRING, STRING, DATE, TIMESTAMP.
  for (const char* n : {"01", "02", "03", "06", "07"})  // 05 has no rows
    compare_with_expected(
        std::string("zalora__binlog-parser/data/fixtures/mysql-bin.") + n,
        std::string("zalora__binlog-parser/data/fixtures/plaintext-mysql-bin.") + n);
}

TEST_CASE("rows: -vv text equals the mysqlbinlog output shipped with kingbus fixtures") {
  for (const char* n : {"11", "12", "13"})
    compare_with_expected(std::string("flike__kingbus/tools/test_data/binlog/mysql_bin.0000") + n,
                          std::string("flike__kingbus/tools/test_data/binlog/") + n + ".txt");
}

TEST_CASE("rows: -vv text equals mariadb-binlog's on every fixture it decodes") {
  std::size_t compared = 0, rows_lines = 0;
  for (const auto& f : binrelay::test::all_fixtures()) {
    if (f.expect != "ok") continue;
    bool has_rows = false;
    for (const auto& [type, n] : f.event_counts)
      has_rows |= type.find("ROWS") != std::string::npos && type != "ROWS_QUERY";
    if (!has_rows) continue;
    std::string mb;
    try {
      mb = binrelay::test::run_command("mariadb-binlog -vv --base64-output=decode-rows '" +
                                       f.path.string() + "' 2>/dev/null");
    } catch (const std::exception&) {
      continue;  // mariadb-binlog cannot read this file (MySQL 8.3+ events, unknown charsets)
    }
    std::string expected = hash_lines(mb);
    if (expected.empty()) continue;  // nothing it could decode (pre-GA rows, compressed trx)
    INFO(f.name);
    CHECK(render_rows(read_file(f.path)) == expected);
    ++compared;
    rows_lines += std::size_t(std::count(expected.begin(), expected.end(), '\n'));
  }
  // 80+ files written by MySQL 5.1-8.0, Percona and MariaDB 10.x decode today.
  CHECK(compared >= 80);
  CHECK(rows_lines > 100000);
}

}  // namespace binrelay::binlog::test
