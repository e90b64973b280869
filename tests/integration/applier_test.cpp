// binrelayd's applier against real MariaDB 10.11 servers: primary -> binrelayd -> applier ->
// downstream, under sysbench load, kill -9, every column type, and a failing transaction
// skipped by the operator (a config file at restart, or the admin port with the mariadb client).

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <thread>

#include "integration/admin_client.h"
#include "integration/applier_support.h"

using namespace binrelay::test;
using namespace std::chrono_literals;

TEST_CASE("applier: sysbench with 4 workers ends identical with the same GTIDs in the same order",
          "[applier]") {
  apply_setup s(4);
  prepare_sysbench(s.primary, 4, 2000);
  s.relay->start();
  auto load = start_load(s, 60);
  REQUIRE(load->wait() == 0);
  check_sysbench_converged(s, 4);
  CHECK(s.relay->terminate() == 0);
}

TEST_CASE("applier: kill -9 of binrelayd ten times under load neither skips nor re-applies",
          "[applier]") {
  apply_setup s(4);
  prepare_sysbench(s.primary, 4, 2000);
  s.relay->start();
  auto load = start_load(s, 60, "oltp_read_write");
  std::mt19937 rng(523);
  std::uniform_int_distribution<int> pause_ms(300, 2000);
  for (int i = 0; i < 10; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms(rng)));
    s.relay->kill9();
    s.relay->start();
  }
  REQUIRE(load->wait() == 0);
  check_sysbench_converged(s, 4);
}

namespace {

// 4 optimistic workers, binrelayd flags `extra`, a load where most transactions collide and a
// kill -9 of binrelayd: the downstream ends identical with the primary's GTIDs in its order.
void check_optimistic(std::vector<std::string> extra) {
  extra.push_back("--apply-parallel-mode=optimistic");
  apply_setup s(4, extra);
  prepare_sysbench(s.primary, 2, 25);  // 50 rows: concurrent transactions collide all the time
  s.relay->start();
  auto load = start_load(s, 20, "oltp_write_only", 2, 25);
  std::this_thread::sleep_for(8s);
  s.relay->kill9();
  s.relay->start();
  REQUIRE(load->wait() == 0);
  check_sysbench_converged(s, 2);
  REQUIRE(s.relay->terminate() == 0);
  CHECK(s.relay->log().find("after optimistic conflicts") != std::string::npos);
}

}  // namespace

TEST_CASE("applier: optimistic mode undoes conflicting replayed transactions in commit order",
          "[applier]") {
  check_optimistic({});
}

TEST_CASE("applier: optimistic mode undoes conflicting prepared-statement transactions",
          "[applier]") {
  check_optimistic({"--apply-method=prepared"});
}

namespace {

// Every column type written with FULL and MINIMAL row images, applied with binrelayd flags
// `extra`, reads back the same on the downstream.
void check_column_types(const std::vector<std::string>& extra) {
  apply_setup s(2, extra);
  s.primary.query(R"(CREATE DATABASE ty;
    CREATE TABLE ty.t (id INT PRIMARY KEY, ti TINYINT, su SMALLINT UNSIGNED, mi MEDIUMINT,
      bu BIGINT UNSIGNED, bs BIGINT, de DECIMAL(30,10), d0 DECIMAL(5,0), fl FLOAT, db DOUBLE,
      bi BIT(13), b1 BIT(1), dt DATE, tm TIME(3), tm0 TIME, dtm DATETIME(6), ts TIMESTAMP(2) NULL,
      yr YEAR, ch CHAR(10), vc VARCHAR(100) CHARACTER SET utf8mb4, la VARCHAR(20) CHARACTER SET latin1,
      bn BINARY(4), vb VARBINARY(20), tt TINYTEXT, tx TEXT, bl BLOB, lb LONGBLOB,
      en ENUM('a','b','c'), st SET('x','y','z'), js JSON, gm GEOMETRY, pt POINT);
    CREATE TABLE ty.nokey (a INT, b VARCHAR(10), c DOUBLE);
    INSERT INTO ty.t VALUES
      (1, -128, 65535, -8388608, 18446744073709551615, -9223372036854775808,
       12345678901234567890.0123456789, -99999, 3.14159, 2.718281828459045, b'1010101010101', b'1',
       '2024-02-29', '-838:59:59.999', '12:34:56', '9999-12-31 23:59:59.999999',
       '2038-01-19 03:14:07.99', 2155, 'char', 'héllo wörld ✓', 'caf\xe9', X'00FF0001', X'DEADBEEF00',
       'tiny', REPEAT('text ', 100), X'000102', REPEAT(X'AB', 70000), 'b', 'x,z',
       '{"k": [1, 2.5, "s", null, true], "o": {"n": -1}}', ST_GeomFromText('LINESTRING(0 0,1 1,2 1)'),
       POINT(1.5, -2.25)),
      (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
      (3, 0, 0, 0, 0, 0, 0, 0, 0, 0, b'0', b'0', '0000-00-00', '00:00:00', '00:00:00',
       '0000-00-00 00:00:00', '0000-00-00 00:00:00', 0, '', '', '', X'', X'', '', '', X'', X'',
       'a', '', '[]', NULL, NULL);
    INSERT INTO ty.nokey VALUES (1, 'one', 1.5), (1, 'one', 1.5), (2, NULL, NULL);
    UPDATE ty.t SET vc = 'changed', de = -0.0000000001, tm = '00:00:00.5' WHERE id = 1;
    UPDATE ty.nokey SET b = 'uno' WHERE a = 1 LIMIT 1;
    DELETE FROM ty.nokey WHERE b IS NULL;
    SET SESSION binlog_row_image = MINIMAL;
    UPDATE ty.t SET su = 7, js = '{"minimal": true}' WHERE id = 2;
    DELETE FROM ty.t WHERE id = 3;
    INSERT INTO ty.t (id, ti) VALUES (4, 4);)");
  s.relay->start();
  bool applied = s.wait_applied(60s);
  INFO(s.relay->log());
  REQUIRE(applied);
  for (std::string col :
       {"ti",      "su",      "mi",   "bu",      "bs",      "de",      "d0",
        "fl",      "db",      "bi+0", "b1+0",    "dt",      "tm",      "tm0",
        "dtm",     "ts",      "yr",   "ch",      "vc",      "HEX(vc)", "HEX(la)",
        "HEX(bn)", "HEX(vb)", "tt",   "MD5(tx)", "HEX(bl)", "MD5(lb)", "LENGTH(lb)",
        "en",      "st",      "js",   "HEX(gm)", "HEX(pt)"}) {
    std::string sql = "SELECT id, " + col + " FROM ty.t ORDER BY id";
    INFO(col);
    CHECK(s.downstream.query(sql) == s.primary.query(sql));
  }
  std::string nokey = "SELECT * FROM ty.nokey ORDER BY a, b";
  CHECK(s.downstream.query(nokey) == s.primary.query(nokey));
  CHECK(s.downstream.scalar("SELECT COUNT(*) FROM ty.t") == "3");
}

}  // namespace

TEST_CASE(
    "applier: every column type round-trips exactly with FULL and MINIMAL images (replayed "
    "as BINLOG statements)",
    "[applier]") {
  check_column_types({});
}

TEST_CASE(
    "applier: every column type round-trips exactly with FULL and MINIMAL images (prepared "
    "statements)",
    "[applier]") {
  check_column_types({"--apply-method=prepared"});
}

TEST_CASE("applier: a missing row stops it with MySQL's error and skipping the GTID resumes",
          "[applier]") {
  apply_setup s(4);
  s.primary.query(
      "CREATE DATABASE t; CREATE TABLE t.a (id INT PRIMARY KEY, v INT);"
      "INSERT INTO t.a VALUES (1, 1), (2, 2), (3, 3)");
  s.relay->start();
  REQUIRE(s.wait_applied(60s));
  s.downstream.query("SET SESSION sql_log_bin = 0; DELETE FROM t.a WHERE id = 2");
  s.primary.query("UPDATE t.a SET v = 20 WHERE id = 2");
  std::string failing = s.primary.scalar("SELECT @@gtid_binlog_pos");
  s.primary.query("UPDATE t.a SET v = 30 WHERE id = 3; INSERT INTO t.a VALUES (4, 4)");
  std::string expected = "applier stopped: Last_SQL_Errno 1032: Worker ";
  bool stopped = s.relay->process().wait_for_log(expected, 30s);
  INFO(s.relay->log());
  REQUIRE(stopped);
  std::string log = s.relay->log();
  CHECK(log.find("failed executing transaction '" + failing +
                 "' at relay log 'relay-bin.000001'") != std::string::npos);
  CHECK(log.find("Could not execute Update_rows_v1 event on table t.a; Can't find record in 'a', "
                 "Error_code: 1032; handler error HA_ERR_KEY_NOT_FOUND; the event's relay log "
                 "relay-bin.000001, end_log_pos ") != std::string::npos);
  CHECK(s.downstream.scalar("SELECT v FROM t.a WHERE id = 3") == "3");  // nothing after it
  CHECK(s.relay->terminate() == 0);

  std::ofstream(s.scratch.path() / "binrelayd.ini") << "apply-skip-gtid = " << failing << "\n";
  s.relay->start();
  bool applied = s.wait_applied(60s);
  INFO(s.relay->log());
  REQUIRE(applied);
  CHECK(s.relay->log().find("skipped transaction '" + failing + "'") != std::string::npos);
  std::string rows = "SELECT * FROM t.a WHERE id <> 2 ORDER BY id";
  CHECK(s.downstream.query(rows) == s.primary.query(rows));
  CHECK(s.downstream.scalar("SELECT COUNT(*) FROM t.a WHERE id = 2") == "0");
  CHECK(binlog_gtids(s.downstream) == binlog_gtids(s.primary));
}

TEST_CASE(
    "applier: a DDL applied without its progress row (a crash between them) is not applied "
    "again at restart",
    "[applier]") {
  apply_setup s(2);
  s.primary.query(
      "CREATE DATABASE d; CREATE TABLE d.t (id INT PRIMARY KEY, v INT);"
      "INSERT INTO d.t VALUES (1, 1)");
  s.relay->start();
  REQUIRE(s.wait_applied(60s));
  progress_mark before = recorded_progress(s.downstream);
  s.primary.query("ALTER TABLE d.t ADD INDEX k (v)");
  REQUIRE(s.wait_applied(60s));
  CHECK(s.relay->terminate() == 0);
  // What a crash after the DDL and before its progress row leaves: progress before the DDL.
  rewind_progress(s.downstream, before);
  s.primary.query("INSERT INTO d.t VALUES (2, 2)");
  s.relay->start();
  bool applied = s.wait_applied(60s);
  INFO(s.relay->log());
  REQUIRE(applied);
  CHECK(s.relay->log().find("already applied on the downstream") != std::string::npos);
  CHECK(s.relay->log().find("applier stopped") == std::string::npos);
  std::string rows = "SELECT * FROM d.t ORDER BY id";
  CHECK(s.downstream.query(rows) == s.primary.query(rows));
  CHECK(binlog_gtids(s.downstream) == binlog_gtids(s.primary));
}

namespace {

// Makes the next primary transaction fail on the downstream: deletes row `id` there only, then
// updates it on the primary. Returns that transaction's GTID. Writes one more row after it.
std::string failing_update(apply_setup& s, int id) {
  std::string row = std::to_string(id);
  s.downstream.query("SET SESSION sql_log_bin = 0; DELETE FROM t.a WHERE id = " + row);
  s.primary.query("UPDATE t.a SET v = v * 10 WHERE id = " + row);
  std::string gtid = s.primary.scalar("SELECT @@gtid_binlog_pos");
  s.primary.query("INSERT INTO t.a VALUES (" + std::to_string(id + 100) + ", 0)");
  return gtid;
}

void check_stopped_by(const admin_apply& a, const std::string& gtid) {
  auto status = a.wait_sql_running("No");
  REQUIRE(status["Slave_SQL_Running"] == "No");
  CHECK(status["Slave_IO_Running"] == "Yes");
  CHECK(status["Last_SQL_Errno"] == "1032");
  CHECK(status["Last_SQL_Error"].find("failed executing transaction '" + gtid +
                                      "' at relay log 'relay-bin.000001'") != std::string::npos);
}

}  // namespace

TEST_CASE(
    "applier: the operator skips a failing transaction on the admin port with "
    "SET GTID_NEXT, BEGIN, COMMIT or SET GLOBAL gtid_slave_pos, then START SLAVE",
    "[applier][admin]") {
  admin_apply a(4);
  auto& s = a.s;
  auto& admin = a.admin;
  a.start_with_table("VALUES (1, 1), (2, 2), (3, 3), (4, 4)");

  std::string first = failing_update(s, 2);
  check_stopped_by(a, first);
  CHECK(s.downstream.scalar("SELECT COUNT(*) FROM t.a WHERE id = 102") == "0");  // nothing after
  admin.sql("SET GTID_NEXT='" + first + "'; BEGIN; COMMIT; SET GTID_NEXT='AUTOMATIC'; START SLAVE");
  REQUIRE(s.wait_applied(60s));
  auto resumed = a.wait_sql_running("Yes");
  CHECK(resumed["Last_SQL_Errno"] == "0");

  std::string second = failing_update(s, 4);  // MariaDB's way
  check_stopped_by(a, second);
  admin.sql("SET GLOBAL gtid_slave_pos='" + second + "'; START SLAVE SQL_THREAD");
  bool applied = s.wait_applied(60s);
  INFO(s.relay->log());
  REQUIRE(applied);

  std::string rows = "SELECT * FROM t.a WHERE id NOT IN (2, 4) ORDER BY id";
  CHECK(s.downstream.query(rows) == s.primary.query(rows));
  CHECK(s.downstream.scalar("SELECT COUNT(*) FROM t.a WHERE id IN (2, 4)") == "0");
  std::vector<std::string> downstream_gtids = binlog_gtids(s.downstream);
  CHECK(downstream_gtids == binlog_gtids(s.primary));
  CHECK(std::count(downstream_gtids.begin(), downstream_gtids.end(), first) == 1);
  CHECK(std::count(downstream_gtids.begin(), downstream_gtids.end(), second) == 1);
}
