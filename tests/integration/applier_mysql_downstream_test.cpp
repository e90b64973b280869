// The applier into a real MySQL 9.7 downstream, from a real MySQL 9.7 primary followed by
// binrelayd: every column type, tables without a primary key, DDL, compressed transactions,
// partial JSON updates and tagged GTIDs arrive with the primary's GTIDs in its order; a
// failing transaction stops the SQL thread in MySQL's words and is skipped as on MySQL; a
// missing privilege stops it with the server's own error; kill -9 under load loses nothing.

#include <catch2/catch.hpp>

#include <future>
#include <random>
#include <thread>

#include "integration/admin_client.h"
#include "integration/applier_mysql_support.h"
#include "integration/applier_support.h"
#include "integration/logged_transactions.h"
#include "integration/mysql_serve_support.h"

using namespace binrelay;
using namespace binrelay::test;
using namespace std::chrono_literals;

namespace {

// Every column type MySQL 9.7 logs, a table without a primary key, DDL, compressed
// transactions, partial JSON updates and a tagged GTID (one statement per transaction).
constexpr const char* workload = R"(
CREATE DATABASE d;
CREATE TABLE d.types (id INT PRIMARY KEY AUTO_INCREMENT, ti TINYINT, si SMALLINT UNSIGNED,
  mi MEDIUMINT, bi BIGINT UNSIGNED, dc DECIMAL(20,6), f FLOAT, db DOUBLE, b BIT(13), dt DATE,
  dtm DATETIME(6), ts TIMESTAMP(3) NULL, tm TIME(2), y YEAR, c CHAR(10), vc VARCHAR(300),
  bn BINARY(4), vb VARBINARY(50), tx TEXT, bl LONGBLOB, e ENUM('a','b','c'), st SET('x','y','z'),
  j JSON, g GEOMETRY, pt POINT SRID 0, v VECTOR(3));
INSERT INTO d.types VALUES (NULL, -5, 65000, -8000000, 18446744073709551615,
  -12345678901234.123456, 1.5, -2.25e100, b'1010101010101', '2024-02-29',
  '2024-02-29 23:59:59.123456', '2030-01-01 00:00:00.123', '-838:59:58.99', 2155, 'abc',
  REPEAT('é', 300), x'00010203', x'ff00', REPEAT('t', 1000), REPEAT(x'ab', 70000), 'b', 'x,z',
  '{"a": [1, 2, {"b": null}], "c": "d", "n": 1.25}', ST_GeomFromText('POLYGON((0 0,1 0,1 1,0 0))'),
  ST_GeomFromText('POINT(1 2)'), STRING_TO_VECTOR('[1.5,2,-3]'));
INSERT INTO d.types (id) VALUES (NULL);
UPDATE d.types SET vc = 'changed', v = STRING_TO_VECTOR('[0,0,1]') WHERE id = 1;
CREATE TABLE d.nopk (a INT, b VARCHAR(10));
INSERT INTO d.nopk VALUES (1, 'x'), (1, 'x'), (2, 'y');
DELETE FROM d.nopk WHERE a = 1 LIMIT 1;
UPDATE d.nopk SET b = 'z' WHERE a = 2;
SET SESSION binlog_transaction_compression = ON;
INSERT INTO d.nopk VALUES (3, 'c'), (4, 'd');
UPDATE d.types SET tx = REPEAT('u', 2000), dc = dc + 1 WHERE id = 1;
SET SESSION binlog_transaction_compression = OFF;
SET SESSION binlog_row_image = MINIMAL, binlog_row_value_options = 'PARTIAL_JSON';
UPDATE d.types SET j = JSON_SET(j, '$.c', 'e'), j = JSON_REPLACE(j, '$.a[0]', 7) WHERE id = 1;
UPDATE d.types SET j = JSON_REMOVE(j, '$.a[2]') WHERE id = 1;
SET SESSION binlog_row_image = FULL, binlog_row_value_options = '';
SET GTID_NEXT = 'AUTOMATIC:batch_1';
INSERT INTO d.nopk VALUES (5, 'tagged');
SET GTID_NEXT = 'AUTOMATIC';
ALTER TABLE d.nopk ADD COLUMN c INT DEFAULT 7;
INSERT INTO d.nopk VALUES (6, 'after', 8);
)";

constexpr const char* readable =
    "SELECT id, vc, j, VECTOR_TO_STRING(v), ST_AsText(g), HEX(b), tm FROM d.types ORDER BY id;"
    "SELECT * FROM d.nopk ORDER BY a, b";

// Event types in the primary's binlog.
bool logged_type(const mysql_server& s, int type) {
  for (const auto& t : read_transactions(s.binlog_files())) {
    for (const auto& e : t.events) {
      if (e.type == type) return true;
    }
  }
  return false;
}

void check_workload_applied(const std::vector<std::string>& flags) {
  mysql_apply_setup s(4, flags);
  s.primary.query(workload);
  CHECK(logged_type(s.primary, 40));  // TRANSACTION_PAYLOAD
  CHECK(logged_type(s.primary, 39));  // PARTIAL_UPDATE_ROWS
  s.start();
  check_mysql_converged(s, "d.types,d.nopk");
  CHECK(s.downstream.query(readable) == s.primary.query(readable));
  std::string uuid = s.primary.scalar("SELECT @@server_uuid");
  CHECK(s.downstream.scalar("SELECT GTID_SUBSET('" + uuid + ":batch_1:1', @@gtid_executed)") ==
        "1");
  CHECK(s.log().find("(MySQL 9.7") != std::string::npos);
  CHECK(s.terminate() == 0);
}

}  // namespace

TEST_CASE(
    "mysql: applier: every column type, no-key tables, DDL, compressed and partial JSON "
    "transactions replayed into MySQL keep the primary's GTIDs and order",
    "[applier][mysql]") {
  check_workload_applied({});
}

TEST_CASE(
    "mysql: applier: the same workload as prepared statements into MySQL keeps the primary's "
    "GTIDs and order",
    "[applier][mysql]") {
  check_workload_applied({"--apply-method=prepared"});
}

namespace {

// A mysql_apply_setup whose binrelayd also serves an admin port, with a client of it.
struct mysql_admin_apply {
  temp_dir secrets;
  std::uint16_t port = free_port();
  mysql_apply_setup s;
  admin_client admin;

  explicit mysql_admin_apply(std::string apply_user = mysql_server::user)
      : s(2, admin_flags(secrets, port), {}, std::move(apply_user)),
        admin(port, "admin", admin_password, [this] { return s.log(); }) {}

  // SHOW SLAVE STATUS once Slave_SQL_Running is `running` (the last reading after 60 s).
  std::map<std::string, std::string> wait_sql_running(const std::string& running) const {
    std::map<std::string, std::string> status;
    auto deadline = std::chrono::steady_clock::now() + 60s;
    while (std::chrono::steady_clock::now() < deadline) {
      status = admin.slave_status();
      if (status["Slave_SQL_Running"] == running) break;
      std::this_thread::sleep_for(100ms);
    }
    return status;
  }
};

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE(
    "mysql: applier: a duplicate key stops the SQL thread in MySQL's words and the admin "
    "port's SET GTID_NEXT, BEGIN, COMMIT, START REPLICA skips it",
    "[applier][mysql]") {
  mysql_admin_apply a;
  a.s.primary.query("CREATE DATABASE d; CREATE TABLE d.t (id INT PRIMARY KEY, v VARCHAR(10))");
  a.s.start();
  REQUIRE(a.admin.wait_listening());
  REQUIRE(a.s.wait_applied(60s));
  a.s.downstream.query("INSERT INTO d.t VALUES (1, 'local')");
  a.s.primary.query("INSERT INTO d.t VALUES (1, 'primary')");
  std::string uuid = a.s.primary.scalar("SELECT @@server_uuid");
  std::string failing = uuid + ":3";  // after CREATE DATABASE and CREATE TABLE
  auto status = a.wait_sql_running("No");
  INFO(a.s.log());
  REQUIRE(status["Slave_SQL_Running"] == "No");
  CHECK(status["Slave_IO_Running"] == "Yes");
  CHECK(status["Last_SQL_Errno"] == "1062");
  CHECK(status["Last_SQL_Error"].find("Could not execute Write_rows event on table d.t; "
                                      "Duplicate entry '1' for key 't.PRIMARY', Error_code: "
                                      "1062; handler error HA_ERR_FOUND_DUPP_KEY") !=
        std::string::npos);
  CHECK(status["Last_SQL_Error"].find("'" + failing + "'") != std::string::npos);
  a.s.primary.query("INSERT INTO d.t VALUES (2, 'primary')");
  a.admin.sql("SET GTID_NEXT='" + failing +
              "'; BEGIN; COMMIT; SET GTID_NEXT='AUTOMATIC'; START REPLICA");
  REQUIRE(a.s.wait_applied(60s));
  CHECK(a.wait_sql_running("Yes")["Last_SQL_Errno"] == "0");
  CHECK(a.s.downstream.query("SELECT * FROM d.t ORDER BY id") == "1\tlocal\n2\tprimary\n");
  CHECK(a.s.downstream_gtids() == a.s.primary_gtids());
  CHECK(a.s.log().find("skipped transaction '" + failing + "'") != std::string::npos);
  CHECK(a.s.terminate() == 0);
}

TEST_CASE(
    "mysql: applier: a missing privilege stops the SQL thread with the server's own error, "
    "and GRANT with START REPLICA catches up",
    "[applier][mysql]") {
  mysql_admin_apply a("applier");
  // DML and DDL, but neither SESSION_VARIABLES_ADMIN (sql_log_bin, GTID_NEXT) nor
  // REPLICATION_APPLIER (BINLOG statements): docs/applier.md, "MySQL downstreams".
  a.s.downstream.query(
      "CREATE USER applier@'%' IDENTIFIED BY 'binrelay-pw'; GRANT SELECT, INSERT, UPDATE, "
      "DELETE, CREATE, DROP, ALTER, INDEX ON *.* TO applier@'%'");
  a.s.primary.query(
      "CREATE DATABASE d; CREATE TABLE d.t (id INT PRIMARY KEY); INSERT INTO d.t VALUES (1)");
  a.s.start();
  REQUIRE(a.admin.wait_listening());
  auto status = a.wait_sql_running("No");
  INFO(a.s.log());
  REQUIRE(status["Slave_SQL_Running"] == "No");
  CHECK(status["Last_SQL_Errno"] == "1227");
  CHECK(status["Last_SQL_Error"].find("Access denied; you need (at least one of) the SUPER, "
                                      "SYSTEM_VARIABLES_ADMIN or SESSION_VARIABLES_ADMIN "
                                      "privilege(s) for this operation") != std::string::npos);
  std::this_thread::sleep_for(2s);  // not retried: one stop, no retry lines
  CHECK(count_of(a.s.log(), "applier stopped") == 1);
  CHECK(a.s.log().find("retrying") == std::string::npos);

  a.s.downstream.query("GRANT SESSION_VARIABLES_ADMIN ON *.* TO applier@'%'");
  a.admin.sql("START REPLICA");
  status = a.wait_sql_running("No");
  CHECK(status["Last_SQL_Errno"] == "1227");
  CHECK(status["Last_SQL_Error"].find("BINLOG_ADMIN or REPLICATION_APPLIER") != std::string::npos);

  a.s.downstream.query("GRANT REPLICATION_APPLIER ON *.* TO applier@'%'");
  a.admin.sql("START REPLICA");
  REQUIRE(a.s.wait_applied(60s));
  CHECK(a.s.downstream.query("SELECT * FROM d.t") == "1\n");
  CHECK(a.s.downstream_gtids() == a.s.primary_gtids());
  CHECK(a.s.terminate() == 0);
}

namespace {

// sbtest.sbtest1..`tables` of `table_size` rows on the primary.
void prepare_sysbench(const mysql_apply_setup& s, int tables, int table_size) {
  s.primary.query("CREATE DATABASE sbtest");
  std::string prepare;
  for (const auto& arg :
       sysbench_args(s.primary.port(), "oltp_write_only", tables, 1, tables, table_size))
    prepare += arg + " ";
  run_command(prepare + "prepare > /dev/null");
}

std::unique_ptr<child_process> start_sysbench(const mysql_apply_setup& s, const std::string& test,
                                              int threads, int seconds, int tables,
                                              int table_size) {
  auto args = sysbench_args(s.primary.port(), test, threads, seconds, tables, table_size);
  args.push_back("run");
  return std::make_unique<child_process>(args, s.scratch.path() / "sysbench.log");
}

}  // namespace

// MySQL's innodb_lock_wait_timeout cannot be 0 (it answers warning 1292 and uses 1 s), so
// optimistic conflicts would each wait a second: binrelayd applies in conservative mode,
// says so once, and its sessions keep the configured lock wait timeout.
TEST_CASE(
    "mysql: applier: optimistic parallel mode on a MySQL downstream falls back to "
    "conservative mode with one log line and converges under a colliding load",
    "[applier][mysql]") {
  // performance_schema shows the lock wait timeout of binrelayd's sessions.
  mysql_apply_setup s(4, {"--apply-parallel-mode=optimistic"}, {}, mysql_server::user,
                      {"--performance-schema=ON"});
  prepare_sysbench(s, 2, 25);  // 50 rows: concurrent transactions collide all the time
  s.start();
  auto load = start_sysbench(s, "oltp_write_only", 8, 6, 2, 25);
  INFO(load->log());
  REQUIRE(load->wait() == 0);
  check_mysql_converged(s, "sbtest.sbtest1,sbtest.sbtest2");
  CHECK(count_of(s.log(),
                 "--apply-parallel-mode=optimistic is not available on a MySQL "
                 "downstream") == 1);
  CHECK(s.log().find("; conservative parallel mode") != std::string::npos);
  CHECK(s.log().find("after optimistic conflicts") == std::string::npos);
  CHECK(s.downstream.query(
            "SELECT v.VARIABLE_VALUE, COUNT(*) FROM performance_schema.variables_by_thread v "
            "JOIN performance_schema.threads t ON t.THREAD_ID = v.THREAD_ID WHERE "
            "t.PROCESSLIST_USER = 'binrelay' AND v.VARIABLE_NAME = 'innodb_lock_wait_timeout' "
            "GROUP BY v.VARIABLE_VALUE") == "10\t4\n");
  CHECK(s.terminate() == 0);
}

// The downstream (the applier) and a MySQL 9.7 replica of binrelayd, which reconnects by
// itself after each kill (SOURCE_CONNECT_RETRY=1), both end at the primary's gtid_executed.
TEST_CASE(
    "mysql: applier: kill -9 of binrelayd ten times under sysbench load on a MySQL primary "
    "neither skips nor re-applies on the downstream or on a MySQL replica of binrelayd",
    "[applier][mysql]") {
  auto starting_replica = std::async(std::launch::async, [] {  // while the others start
    mysql_options o;
    o.server_id = 3;
    auto r = std::make_unique<mysql_server>(o);
    r->query("RESET BINARY LOGS AND GTIDS");  // only the primary's GTIDs from here on
    return r;
  });
  temp_dir secrets;
  std::uint16_t serve_port = free_port();
  mysql_apply_setup s(4, mysql_serve_flags(secrets.path(), serve_port));
  auto replica_server = starting_replica.get();
  const mysql_server& replica = *replica_server;
  prepare_sysbench(s, 4, 2000);
  s.start();
  follow_mysql_relay(replica, serve_port, ", SOURCE_RETRY_COUNT=100000");
  auto load = start_sysbench(s, "oltp_read_write", 8, 25, 4, 2000);
  std::mt19937 rng(523);
  std::uniform_int_distribution<int> pause_ms(500, 2000);
  for (int i = 0; i < 10; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms(rng)));
    s.kill9();
    s.start();
  }
  INFO(load->log());
  REQUIRE(load->wait() == 0);
  std::string tables = "sbtest.sbtest1,sbtest.sbtest2,sbtest.sbtest3,sbtest.sbtest4";
  check_mysql_converged(s, tables);
  std::string executed = s.primary.scalar("SELECT @@global.gtid_executed");
  bool replicated = wait_replica_has(replica, executed, 120s);
  INFO(s.log());
  INFO("replica: Last_IO_Error '" + replica_status(replica, "Last_IO_Error") +
       "', Last_SQL_Error '" + replica_status(replica, "Last_SQL_Error") + "'");
  REQUIRE(replicated);
  CHECK(replica.scalar("SELECT @@global.gtid_executed") == executed);
  CHECK(mysql_checksums(replica, tables) == mysql_checksums(s.primary, tables));
  // Attached during the kills, not only at the end (a kill may come before it reconnects).
  CHECK(count_of(s.log(), "starts a binlog dump") >= 3);
  CHECK(s.terminate() == 0);
}
