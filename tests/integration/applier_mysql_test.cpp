// The applier on MySQL-flavour events: a binlog a MySQL 8.0 server wrote (../shared/fixtures),
// imported with binrelay-import and applied by binrelayd to a real MariaDB 10.11 downstream.
// MySQL sources take the prepared-statement path (BINLOG replay is for MariaDB sources).

#include <catch2/catch.hpp>

#include <fstream>
#include <thread>

#include "binlog/file_reader.h"
#include "binlog/transaction_boundary.h"
#include "support/fixtures.h"
#include "support/mariadb_server.h"
#include "support/processes.h"

using namespace binrelay;
using namespace binrelay::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

// Offset of the first BEGIN in `file` (where the applier is told to start).
std::uint64_t first_begin(const fs::path& file) {
  auto reader = binlog::file_reader::open(file);
  REQUIRE(reader);
  while (true) {
    std::uint64_t at = reader->position();
    auto ev = reader->next();
    REQUIRE(ev);
    REQUIRE(*ev);
    if ((*ev)->header.type != binlog::event_type::query) continue;
    auto body = (*ev)->body(reader->format());
    if (binlog::classify_query_event(body, reader->format()) == binlog::query_kind::begin)
      return at;
  }
}

}  // namespace

TEST_CASE(
    "applier: a MySQL 8.0 binlog with partial JSON updates, imported and applied to "
    "MariaDB, ends with the primary's documents",
    "[applier]") {
  mariadb_server downstream{mariadb_options{2, true, {}}};
  temp_dir scratch;
  fs::path relay = scratch.path() / "relay";
  fs::path fixture =
      fixtures_dir() / "blackbeam__rust_mysql_common/test-data/binlogs/json.binlog.000001";
  REQUIRE(fs::exists(fixture));
  child_process import({import_path().string(), "--data-dir=" + relay.string(),
                        "--relay-log-name=relay-bin", fixture.string()},
                       scratch.path() / "import.log");
  REQUIRE(import.wait() == 0);
  // The binlog starts with MySQL-only DDL (ALTER USER ... caching_sha2_password, generated
  // columns with ->>): the downstream gets the table in MariaDB's words, the applier starts at
  // the first transaction after it.
  std::uint64_t start = first_begin(relay / "relay-bin.000001");
  downstream.query(
      "CREATE TABLE mysql.t (id INT PRIMARY KEY AUTO_INCREMENT, json_col JSON, "
      "name VARCHAR(100) AS (JSON_VALUE(json_col, '$.name')) VIRTUAL, "
      "age INT AS (JSON_VALUE(json_col, '$.age')) VIRTUAL);"
      "CREATE DATABASE binrelay; CREATE TABLE binrelay.apply_progress (worker INT UNSIGNED NOT "
      "NULL PRIMARY KEY, file_number BIGINT UNSIGNED NOT NULL, relay_file VARCHAR(512) NOT NULL, "
      "end_offset BIGINT UNSIGNED NOT NULL, gtid VARCHAR(200) NOT NULL) ENGINE=InnoDB;"
      "INSERT INTO binrelay.apply_progress VALUES (0, 1, 'relay-bin.000001', " +
      std::to_string(start) + ", '')");
  std::ofstream(scratch.path() / "apply-pw") << mariadb_server::password << "\n";
  child_process daemon(
      {binrelayd_path().string(), "--data-dir=" + relay.string(), "--server-id=4242",
       "--apply-to=127.0.0.1:" + std::to_string(downstream.port()), "--apply-user=binrelay",
       "--apply-password-file=" + (scratch.path() / "apply-pw").string()},
      scratch.path() / "binrelayd.log");
  std::string ages = "SELECT GROUP_CONCAT(age ORDER BY id) FROM mysql.t";
  auto deadline = std::chrono::steady_clock::now() + 60s;
  while (downstream.scalar(ages) != "26,34,42,26,34,42" &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(200ms);
  }
  INFO(daemon.log());
  CHECK(downstream.scalar(ages) == "26,34,42,26,34,42");
  CHECK(downstream.query("SELECT id, json_col FROM mysql.t ORDER BY id") ==
        "1\t{\"age\": 26, \"data\": \"xxxxxxxxxx\", \"name\": \"Joe\"}\n"
        "2\t{\"age\": 34, \"data\": \"yyyyyyyyyy\", \"name\": \"Sue\"}\n"
        "3\t{\"age\": 42, \"data\": \"zzzzzzzzzz\", \"name\": \"Pete\"}\n"
        "4\t{\"age\": 26, \"data\": \"xxxxxxxxxx\", \"name\": \"Joe\"}\n"
        "5\t{\"age\": 34, \"data\": \"yyyyyyyyyy\", \"name\": \"Sue\"}\n"
        "6\t{\"age\": 42, \"data\": \"zzzzzzzzzz\", \"name\": \"Pete\"}\n");
  CHECK(daemon.log().find("rows as BINLOG statements") != std::string::npos);
  CHECK(daemon.log().find("applier stopped") == std::string::npos);
  CHECK(daemon.terminate() == 0);
}
