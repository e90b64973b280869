// The MySQL 9.7 test support itself: a throwaway server in the sid chroot
// (scripts/mysql-chroot.sh).

#include <catch2/catch.hpp>

#include "support/mysql_server.h"

using namespace binrelay::test;

TEST_CASE("mysql: a throwaway MySQL 9.7 server runs with GTIDs and a TCP user, and restarts") {
  mysql_server server;
  CHECK(server.scalar("SELECT @@version").rfind("9.", 0) == 0);
  CHECK(server.scalar("SELECT @@gtid_mode") == "ON");
  std::string tcp = run_in_mysql_chroot(
      "mysql --no-defaults -N -B -h127.0.0.1 -P" + std::to_string(server.port()) +
      " -ubinrelay -pbinrelay-pw -e 'SELECT CURRENT_USER()' 2>/dev/null");
  CHECK(tcp == "binrelay@%\n");
  server.query(
      "CREATE DATABASE d; CREATE TABLE d.t (id INT PRIMARY KEY); INSERT INTO d.t VALUES (1)");
  std::string executed = server.scalar("SELECT @@gtid_executed");
  CHECK(!executed.empty());
  REQUIRE(!server.binlog_files().empty());
  CHECK(std::filesystem::exists(server.binlog_files().front()));
  server.kill9();
  server.start();
  CHECK(server.scalar("SELECT @@gtid_executed") == executed);
  CHECK(server.scalar("SELECT COUNT(*) FROM d.t") == "1");
}
