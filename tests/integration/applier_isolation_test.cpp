// The applier fails alone: a downstream that refuses the apply user stops the SQL thread with
// the server's own error while ingest and serving go on; START SLAVE SQL_THREAD resumes it.

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <thread>

#include "integration/applier_support.h"
#include "integration/serve_support.h"

using namespace binrelay::test;
using namespace std::chrono_literals;

namespace {

// Ends every session of the apply user on the downstream (REVOKE of global privileges only
// reaches new sessions).
void kill_apply_sessions(const mariadb_server& downstream) {
  std::istringstream ids(
      downstream.query("SELECT id FROM information_schema.processlist WHERE user = 'binrelay'"));
  for (std::string id; std::getline(ids, id);) {
    if (!id.empty()) downstream.query("KILL CONNECTION " + id);
  }
}

std::vector<std::string> repl_flags(const temp_dir& dir) {
  std::ofstream(dir.path() / "repl-password") << repl_password << "\n";
  return {std::string("--repl-user=") + repl_user,
          "--repl-password-file=" + (dir.path() / "repl-password").string()};
}

}  // namespace

TEST_CASE(
    "applier: a downstream that revoked the apply user's privileges stops only the SQL thread "
    "with the server's error, ingest and a replica of binrelayd go on, GRANT and START SLAVE "
    "SQL_THREAD catch up",
    "[applier]") {
  temp_dir repl_dir;
  admin_apply a(2, repl_flags(repl_dir));
  a.start_with_table("VALUES (1, 1), (2, 2)");
  mariadb_server replica(mariadb_options{3, true, {}});
  follow_relay(replica, a.port);

  a.s.downstream.query("REVOKE ALL PRIVILEGES, GRANT OPTION FROM 'binrelay'@'%'");
  kill_apply_sessions(a.s.downstream);
  a.s.primary.query("INSERT INTO t.a VALUES (3, 3); UPDATE t.a SET v = 20 WHERE id = 2");

  auto status = a.wait_sql_running("No");
  INFO(a.s.relay->log());
  REQUIRE(status["Slave_SQL_Running"] == "No");
  CHECK(status["Slave_IO_Running"] == "Yes");
  std::string error = status["Last_SQL_Error"];
  CHECK((status["Last_SQL_Errno"] == "1227" || status["Last_SQL_Errno"] == "1142" ||
         status["Last_SQL_Errno"] == "1044"));
  CHECK(error.find("denied") != std::string::npos);
  CHECK(error.find("Lost connection") == std::string::npos);
  CHECK(error.find("Error_code: " + status["Last_SQL_Errno"]) != std::string::npos);

  // Ingest and serving go on while the SQL thread is stopped.
  a.s.primary.query("INSERT INTO t.a VALUES (4, 4), (5, 5)");
  std::string target = a.s.primary.scalar("SELECT @@gtid_binlog_pos");
  bool followed = wait_replica_at(replica, target, 60s);
  INFO(replica_report(replica));
  REQUIRE(followed);
  CHECK(a.s.downstream.scalar("SELECT COUNT(*) FROM t.a") == "2");
  CHECK(a.admin.slave_status()["Slave_SQL_Running"] == "No");

  a.s.downstream.query("GRANT ALL ON *.* TO 'binrelay'@'%' WITH GRANT OPTION");
  a.admin.sql("START SLAVE SQL_THREAD");
  bool applied = a.s.wait_applied(60s);
  INFO(a.s.relay->log());
  REQUIRE(applied);
  auto after = a.admin.slave_status();
  CHECK(after["Slave_SQL_Running"] == "Yes");
  CHECK(after["Last_SQL_Errno"] == "0");
  CHECK(after["Last_SQL_Error"].empty());
  CHECK(table_checksums(a.s.downstream, "t") == table_checksums(a.s.primary, "t"));
  CHECK(table_checksums(replica, "t") == table_checksums(a.s.primary, "t"));
  CHECK(binlog_gtids(a.s.downstream) == binlog_gtids(a.s.primary));
}
