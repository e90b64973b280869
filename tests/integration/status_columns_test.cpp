// SHOW SLAVE|REPLICA STATUS has the column names of the server binrelayd presents itself as,
// compared with what real servers print: a MariaDB 10.11 replica's when binrelayd follows a
// MariaDB primary, a MySQL 9.7 replica's SHOW REPLICA STATUS (and MySQL 8.0's SHOW SLAVE
// STATUS, which 9.7 no longer accepts) when it presents a MySQL version.

#include <catch2/catch.hpp>

#include <sstream>

#include "integration/applier_support.h"
#include "support/mysql_server.h"

using namespace binrelay::test;

namespace {

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  for (std::string field; std::getline(in, field, '\t');) out.push_back(field);
  return out;
}

// The header line of a batch-mode client's output.
std::vector<std::string> header_of(const std::string& output) {
  return split(output.substr(0, output.find('\n')));
}

std::vector<std::string> mariadb_columns(const mariadb_server& server, const std::string& sql) {
  return header_of(run_command("mariadb --no-defaults -uroot -B --socket=" +
                               server.socket_path().string() + " -e '" + sql + "'"));
}

// A real replica's status columns need a configured source; port 1 is never connected to.
constexpr const char* mariadb_source =
    "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=1, "
    "MASTER_USER='nobody'";

struct relay_with_admin {
  temp_dir secrets;
  std::uint16_t port = free_port();
  relay_harness relay;
  admin_client admin{port, "admin", admin_password, [this] { return relay.log(); }};

  relay_with_admin(const mariadb_server& primary, std::vector<std::string> extra)
      : relay(primary, with(admin_flags(secrets, port), std::move(extra))) {
    relay.start();
    REQUIRE(admin.wait_listening());
    REQUIRE(relay.wait_caught_up());
  }
  static std::vector<std::string> with(std::vector<std::string> a, std::vector<std::string> b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  }
  std::vector<std::string> columns(const std::string& sql) const {
    return header_of(admin.sql(sql));
  }
};

}  // namespace

TEST_CASE(
    "status: following MariaDB, SHOW SLAVE, REPLICA and ALL SLAVES STATUS have a real "
    "MariaDB 10.11 replica's columns in its order",
    "[status]") {
  mariadb_server primary;
  mariadb_server replica(mariadb_options{2, true, {}});
  replica.query(mariadb_source);
  relay_with_admin r(primary, {});
  for (const char* sql : {"SHOW SLAVE STATUS", "SHOW REPLICA STATUS", "SHOW ALL SLAVES STATUS"}) {
    INFO(sql);
    auto expected = mariadb_columns(replica, sql);
    REQUIRE(expected.size() >= 54);
    CHECK(r.columns(sql) == expected);
  }
  auto all = r.admin.sql("SHOW ALL SLAVES STATUS\\G");
  CHECK_THAT(all, Catch::Contains("Gtid_Slave_Pos: " + primary.scalar("SELECT @@gtid_binlog_pos")));
  CHECK_THAT(all, Catch::Contains("Using_Gtid: Slave_Pos"));
}

TEST_CASE(
    "mysql: presenting MySQL, SHOW REPLICA STATUS has a real MySQL 9.7 replica's column "
    "names and SHOW SLAVE STATUS, which 9.7 refuses, MySQL 8.0's",
    "[status][mysql]") {
  mysql_server mysql;
  mysql.query(
      "CHANGE REPLICATION SOURCE TO SOURCE_HOST='127.0.0.1', SOURCE_PORT=1, "
      "SOURCE_USER='nobody'");
  auto expected = mysql.rows_with_names("SHOW REPLICA STATUS").at(0);
  REQUIRE(expected.size() >= 60);
  CHECK_THROWS_WITH(mysql.query("SHOW SLAVE STATUS"), Catch::Contains("1064"));

  mariadb_server primary;
  relay_with_admin r(primary, {"--server-version=8.0.36-binrelay"});
  CHECK(r.columns("SHOW REPLICA STATUS") == expected);
  // MySQL 8.0's legacy names: the modern ones with Slave/Master words.
  std::vector<std::string> legacy = r.columns("SHOW SLAVE STATUS");
  REQUIRE(legacy.size() == expected.size());
  CHECK(legacy.front() == "Slave_IO_State");
  CHECK(legacy[33] == "Master_SSL_Verify_Server_Cert");
  CHECK(legacy.back() == "Network_Namespace");
}
