// binrelayd as a semi-synchronous replica (--semi-sync) of real MariaDB 10.11 and MySQL 9.7
// primaries that wait for its ACK after syncing their binlog (AFTER_SYNC, a timeout long
// enough never to fall back to asynchronous; the primaries do not wait while no replica is
// connected, so their set-up does not stall, and every round first waits for binrelayd to be
// connected with semi-sync ON): a primary killed with SIGKILL right after a
// client's COMMIT returned never takes that transaction with it, because binrelayd's relay log
// already holds it (fdatasync'ed: --sync=transaction). With binrelayd stopped the primary's
// commits wait for the timeout: the ACKs were binrelayd's. docs/failover.md.

#include <catch2/catch.hpp>

#include <algorithm>
#include <thread>

#include "integration/admin_client.h"
#include "integration/applier_support.h"
#include "integration/logged_transactions.h"
#include "support/mariadb_server.h"
#include "support/mysql_server.h"
#include "support/processes.h"

using namespace binrelay::test;
using namespace std::chrono_literals;

namespace {

// The names a flavour's primary uses for its semi-sync variables and its last GTID.
struct flavour_names {
  std::string prefix;  // "Rpl_semi_sync_master" / "Rpl_semi_sync_source"
  std::string timeout_variable;
  std::string wait_no_replica_variable;
};

const flavour_names mariadb_names{"Rpl_semi_sync_master", "rpl_semi_sync_master_timeout",
                                  "rpl_semi_sync_master_wait_no_slave"};
const flavour_names mysql_names{"Rpl_semi_sync_source", "rpl_semi_sync_source_timeout",
                                "rpl_semi_sync_source_wait_no_replica"};

// binrelayd following 127.0.0.1:`upstream` with --semi-sync --sync=transaction and an admin
// port.
struct semi_sync_relay {
  temp_dir dir;
  std::uint16_t admin_port = free_port();
  child_process daemon;
  admin_client admin{admin_port, "admin", admin_password, [this] { return daemon.log(); }};

  explicit semi_sync_relay(std::uint16_t upstream)
      : daemon(args(upstream), dir.path() / "log", env()) {}

  std::vector<std::string> args(std::uint16_t upstream) const {
    std::vector<std::string> a = {binrelayd_path().string(),
                                  "--upstream=127.0.0.1:" + std::to_string(upstream),
                                  "--upstream-user=binrelay",
                                  "--server-id=4242",
                                  "--data-dir=" + (dir.path() / "relay").string(),
                                  "--heartbeat-period-ms=500",
                                  "--sync=transaction",
                                  "--semi-sync"};
    for (auto& f : admin_flags(dir, admin_port)) a.push_back(f);
    return a;
  }
  static std::vector<std::string> env() {
    return {std::string("BINRELAY_UPSTREAM_PASSWORD=") + mariadb_server::password};
  }
  // Every GTID in the relay log now, in order.
  std::vector<std::string> gtids() const {
    for (int attempt = 0;; ++attempt) {
      try {
        std::vector<std::string> out;
        for (const auto& t : read_transactions(relay_files(dir.path() / "relay")))
          out.push_back(t.gtid);
        return out;
      } catch (const std::exception&) {
        if (attempt == 20) throw;  // a file being written: read again
        std::this_thread::sleep_for(100ms);
      }
    }
  }
};

template <typename Server>
std::string global_status(const Server& s, const std::string& name) {
  auto rows = s.rows("SHOW GLOBAL STATUS LIKE '" + name + "'");
  return rows.empty() || rows[0].size() < 2 ? "" : rows[0][1];
}

template <typename Server>
bool wait_status(const Server& s, const std::string& name, const std::string& value,
                 std::chrono::seconds timeout = 60s) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (global_status(s, name) != value) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(100ms);
  }
  return true;
}

// The GTID the primary gave the last transaction of `sql`, run in the same session.
std::string commit(const mariadb_server& s, const std::string& sql) {
  return s.scalar(sql + "; SELECT @@last_gtid");
}
std::string commit(const mysql_server& s, const std::string& sql) {
  std::string executed = s.scalar(sql + "; SELECT @@global.gtid_executed");
  auto colon = executed.find(':');
  auto dash = executed.rfind('-');
  REQUIRE(colon != std::string::npos);
  REQUIRE(executed.find(',') == std::string::npos);
  return executed.substr(0, colon + 1) +
         executed.substr(dash == std::string::npos || dash < colon ? colon + 1 : dash + 1);
}

std::string inserts(int round) {
  std::string sql;
  for (int i = 0; i < 5; ++i) {
    sql += "INSERT INTO t.a VALUES (" + std::to_string(round * 100 + i) + ", 'r');";
  }
  return sql;
}

// Commits five transactions, SIGKILLs the primary as soon as the client has the last COMMIT's
// answer, and requires the relay log to hold that transaction; then restarts the primary and
// waits for binrelayd to be its semi-sync replica again. Three rounds.
template <typename Server>
void commits_survive_kill9(Server& primary, semi_sync_relay& relay, const flavour_names& n) {
  REQUIRE(wait_status(primary, n.prefix + "_clients", "1"));
  REQUIRE(wait_status(primary, n.prefix + "_status", "ON"));
  primary.query("CREATE DATABASE t; CREATE TABLE t.a (id INT PRIMARY KEY, v VARCHAR(8))");
  for (int round = 1; round <= 3; ++round) {
    INFO("round " << round << "\n" << relay.daemon.log());
    REQUIRE(wait_status(primary, n.prefix + "_clients", "1"));
    REQUIRE(wait_status(primary, n.prefix + "_status", "ON"));
    int yes_before = std::stoi(global_status(primary, n.prefix + "_yes_tx"));
    std::string last = commit(primary, inserts(round));
    // (One query before the kill: the ACKs arrived before the COMMITs returned.)
    CHECK(global_status(primary, n.prefix + "_yes_tx") == std::to_string(yes_before + 5));
    primary.kill9();
    auto gtids = relay.gtids();
    CHECK(std::find(gtids.begin(), gtids.end(), last) != gtids.end());
    CHECK(relay.daemon.running());
    primary.start();
  }
}

// Nothing lost or doubled over the kills: the relay log holds the primary's transactions, in
// its order, each once. (GTIDs, not bytes: binrelayd rewrites MySQL's logical clocks.)
template <typename Server>
void relay_matches_primary(const Server& primary, const semi_sync_relay& relay) {
  std::vector<std::string> expected;
  for (const auto& t : read_transactions(primary.binlog_files())) expected.push_back(t.gtid);
  std::vector<std::string> relayed;
  for (int i = 0; i < 100; ++i) {
    relayed = relay.gtids();
    if (relayed == expected) break;
    std::this_thread::sleep_for(200ms);
  }
  INFO(relay.daemon.log());
  CHECK(relayed == expected);
}

// The primary's semi-sync counters count binrelayd's ACKs; binrelayd reports itself ON; with
// binrelayd stopped a commit waits for the primary's timeout and is counted as not
// acknowledged.
template <typename Server>
void acks_are_binrelayds(Server& primary, semi_sync_relay& relay, const flavour_names& n) {
  REQUIRE(wait_status(primary, n.prefix + "_clients", "1"));
  REQUIRE(global_status(primary, n.prefix + "_status") == "ON");
  int yes_before = std::stoi(global_status(primary, n.prefix + "_yes_tx"));
  auto start = std::chrono::steady_clock::now();
  commit(primary, "INSERT INTO t.a VALUES (1000, 'ack')");
  // Acknowledged, not timed out: the primary's timeout here is 600 s (the bound leaves room for
  // a loaded CI machine, where starting the client alone can take a second).
  CHECK(std::chrono::steady_clock::now() - start < 30s);
  CHECK(std::stoi(global_status(primary, n.prefix + "_yes_tx")) == yes_before + 1);
  std::string status = relay.admin.sql("SHOW GLOBAL STATUS");
  CHECK(status.find("Rpl_semi_sync_slave_status\tON") != std::string::npos);
  CHECK(status.find("Rpl_semi_sync_replica_status\tON") != std::string::npos);

  CHECK(relay.daemon.terminate() == 0);
  REQUIRE(wait_status(primary, n.prefix + "_clients", "0"));
  primary.query("SET GLOBAL " + n.timeout_variable + " = 2000, " + n.wait_no_replica_variable +
                " = ON");
  start = std::chrono::steady_clock::now();
  commit(primary, "INSERT INTO t.a VALUES (1001, 'no ack')");
  CHECK(std::chrono::steady_clock::now() - start >= 1900ms);
  CHECK(global_status(primary, n.prefix + "_no_tx") == "1");
  CHECK(global_status(primary, n.prefix + "_status") == "OFF");
}

}  // namespace

TEST_CASE(
    "semi-sync: a MariaDB primary killed right after COMMIT returned never loses the "
    "transaction from binrelayd, and waits for binrelayd's ACK",
    "[semi-sync]") {
  mariadb_server primary{mariadb_options{
      1,
      true,
      {"--rpl-semi-sync-master-enabled=ON", "--rpl-semi-sync-master-wait-point=AFTER_SYNC",
       "--rpl-semi-sync-master-timeout=600000", "--rpl-semi-sync-master-wait-no-slave=OFF",
       "--sync-binlog=1"}}};
  semi_sync_relay relay(primary.port());
  REQUIRE(relay.admin.wait_listening());
  commits_survive_kill9(primary, relay, mariadb_names);
  relay_matches_primary(primary, relay);
  acks_are_binrelayds(primary, relay, mariadb_names);
}

TEST_CASE(
    "mysql: semi-sync: a MySQL 9.7 primary killed right after COMMIT returned never loses the "
    "transaction from binrelayd, and waits for binrelayd's ACK",
    "[semi-sync]") {
  mysql_server primary{mysql_options{
      1,
      true,
      true,
      {"--plugin-load-add=semisync_source.so", "--rpl-semi-sync-source-enabled=ON",
       "--rpl-semi-sync-source-wait-point=AFTER_SYNC", "--rpl-semi-sync-source-timeout=600000",
       "--rpl-semi-sync-source-wait-no-replica=OFF", "--sync-binlog=1"}}};
  semi_sync_relay relay(primary.port());
  REQUIRE(relay.admin.wait_listening());
  commits_survive_kill9(primary, relay, mysql_names);
  relay_matches_primary(primary, relay);
  acks_are_binrelayds(primary, relay, mysql_names);
}
