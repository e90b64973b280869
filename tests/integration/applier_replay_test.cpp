// The applier's replay path against real MariaDB 10.11 servers: consecutive transactions sent
// as BINLOG statements in one round trip, a failure in the middle of such a batch, and
// transactions too large for a batch.

#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <thread>

#include "integration/admin_client.h"
#include "integration/applier_support.h"

using namespace binrelay::test;
using namespace std::chrono_literals;

namespace {

// Ten transactions of which the fifth cannot find its row, applied by `workers` workers with
// binrelayd flags `extra`: the applier stops at the fifth with MySQL's error, those before it
// committed and none after it; skipping it resumes.
void check_stop_at_failing(int workers, const std::vector<std::string>& extra) {
  admin_apply a(workers, extra);
  auto& s = a.s;
  auto& admin = a.admin;
  a.start_with_table("SELECT seq, seq FROM t.seq_1_to_10");
  CHECK(s.relay->log().find("rows as BINLOG statements") != std::string::npos);
  admin.sql("STOP SLAVE SQL_THREAD");
  REQUIRE(a.wait_sql_running("No")["Slave_SQL_Running"] == "No");

  // Ten transactions the applier will find together; the fifth cannot find its row.
  s.downstream.query("SET SESSION sql_log_bin = 0; DELETE FROM t.a WHERE id = 5");
  std::string failing;
  for (int id = 1; id <= 10; ++id) {
    s.primary.query("UPDATE t.a SET v = v + 100 WHERE id = " + std::to_string(id));
    if (id == 5) failing = s.primary.scalar("SELECT @@gtid_binlog_pos");
  }
  REQUIRE(s.relay->wait_caught_up());
  admin.sql("START SLAVE SQL_THREAD");
  bool stopped = s.relay->process().wait_for_log("applier stopped: Last_SQL_Errno 1032", 60s);
  INFO(s.relay->log());
  REQUIRE(stopped);
  auto status = a.wait_sql_running("No");
  CHECK(status["Last_SQL_Error"].find("failed executing transaction '" + failing + "'") !=
        std::string::npos);
  CHECK(status["Last_SQL_Error"].find("Could not execute Update_rows_v1 event on table t.a; "
                                      "Can't find record in 'a', Error_code: 1032; handler error "
                                      "HA_ERR_KEY_NOT_FOUND") != std::string::npos);
  CHECK(s.downstream.query("SELECT v FROM t.a WHERE id < 5 ORDER BY id") == "101\n102\n103\n104\n");
  CHECK(s.downstream.query("SELECT v FROM t.a WHERE id > 5 ORDER BY id") == "6\n7\n8\n9\n10\n");

  admin.sql("SET GLOBAL gtid_slave_pos='" + failing + "'; START SLAVE SQL_THREAD");
  bool applied = s.wait_applied(60s);
  INFO(s.relay->log());
  REQUIRE(applied);
  std::string rows = "SELECT * FROM t.a WHERE id <> 5 ORDER BY id";
  CHECK(s.downstream.query(rows) == s.primary.query(rows));
  CHECK(binlog_gtids(s.downstream) == binlog_gtids(s.primary));
}

}  // namespace

TEST_CASE(
    "applier: a batch of replayed transactions stops at the failing one: those before it "
    "commit and none after it runs",
    "[applier]") {
  check_stop_at_failing(1, {});
}

TEST_CASE(
    "applier: optimistic workers stop at the failing transaction: those before it commit and "
    "none after it",
    "[applier]") {
  check_stop_at_failing(4, {"--apply-parallel-mode=optimistic"});
}

TEST_CASE(
    "applier: transactions larger than a replay batch, multi-statement transactions and "
    "DDL between them apply in order",
    "[applier]") {
  apply_setup s(2, {"--apply-batch-bytes=65536"});
  s.primary.query(R"(CREATE DATABASE big; CREATE TABLE big.t (id INT PRIMARY KEY, c VARCHAR(400));
    CREATE TABLE big.u (id INT PRIMARY KEY, n INT) ENGINE=InnoDB;
    INSERT INTO big.t SELECT seq, REPEAT(CHAR(65 + seq % 26), 300) FROM big.seq_1_to_3000;
    BEGIN; INSERT INTO big.u VALUES (1, 1); UPDATE big.t SET c = 'x' WHERE id = 7;
      DELETE FROM big.t WHERE id BETWEEN 100 AND 120; INSERT INTO big.u VALUES (2, 2); COMMIT;
    ALTER TABLE big.u ADD COLUMN m INT DEFAULT 5;
    UPDATE big.u SET m = n * 3;
    UPDATE big.t SET c = REVERSE(c) WHERE id % 2 = 0;)");
  s.relay->start();
  bool applied = s.wait_applied(120s);
  INFO(s.relay->log());
  REQUIRE(applied);
  CHECK(s.relay->log().find("applier stopped") == std::string::npos);
  for (std::string t : {"big.t", "big.u"}) {
    CHECK(s.downstream.query("CHECKSUM TABLE " + t) == s.primary.query("CHECKSUM TABLE " + t));
  }
  CHECK(binlog_gtids(s.downstream) == binlog_gtids(s.primary));
}

TEST_CASE(
    "applier: transactions committed without a progress row (a crash inside a batch) are "
    "found by their GTIDs at restart and not applied again",
    "[applier]") {
  apply_setup s(1);
  s.primary.query(
      "CREATE DATABASE c; CREATE TABLE c.t (id INT PRIMARY KEY, v INT);"
      "INSERT INTO c.t SELECT seq, 0 FROM c.seq_1_to_5");
  s.relay->start();
  REQUIRE(s.wait_applied(60s));
  progress_mark before = recorded_progress(s.downstream);
  // Twelve transactions that are not idempotent: applied twice, v would be 2 instead of 1.
  for (int i = 0; i < 12; ++i) {
    s.primary.query("UPDATE c.t SET v = v + 1 WHERE id = " + std::to_string(i % 5 + 1));
  }
  REQUIRE(s.wait_applied(60s));
  CHECK(s.relay->terminate() == 0);
  // What a crash inside a batch leaves: data and GTIDs committed, progress from before them.
  rewind_progress(s.downstream, before);
  s.primary.query("UPDATE c.t SET v = v + 10 WHERE id = 1");
  s.relay->start();
  check_converged(s, "SELECT * FROM c.t ORDER BY id");
  CHECK(s.relay->log().find("12 transaction(s) after the recorded progress were already applied") !=
        std::string::npos);
}

TEST_CASE(
    "applier: after kill -9 a restarted binrelayd waits for its previous sessions' batches "
    "to finish before it reads the progress",
    "[applier]") {
  apply_setup s(1, {"--apply-batch-bytes=15000000"});
  s.primary.query(
      "CREATE DATABASE k; CREATE TABLE k.t (id INT PRIMARY KEY, v INT, c CHAR(20));"
      "INSERT INTO k.t SELECT seq, 0, 'x' FROM k.seq_1_to_5");
  s.relay->start();
  REQUIRE(s.wait_applied(60s));
  CHECK(s.relay->terminate() == 0);
  // One transaction that takes the downstream a while to apply.
  s.primary.query("INSERT INTO k.t SELECT seq, seq, 'row' FROM k.seq_6_to_150000");
  s.primary.query("UPDATE k.t SET v = v + 1 WHERE id = 1");
  s.relay->start();
  std::string running =
      "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE "
      "'BINLOG %' AND USER = 'binrelay'";
  auto deadline = std::chrono::steady_clock::now() + 60s;
  while (s.downstream.scalar(running) == "0" && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(5ms);
  }
  REQUIRE(s.downstream.scalar(running) == "1");
  s.relay->kill9();  // the killed session's batch still runs on the downstream
  s.relay->start();
  check_converged(s, "SELECT COUNT(*), SUM(v) FROM k.t");
}
