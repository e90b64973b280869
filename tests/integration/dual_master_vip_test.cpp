// Seed 000: two MariaDB 10.11 masters replicating from each other behind a virtual IP that
// keepalived moves when the active master's mariadbd dies; binrelayd follows the VIP and,
// after the move, resumes by GTID on the other master: nothing lost, nothing doubled, and a
// replica of binrelayd ends with the surviving master's tables. docs/failover.md, "Dual master
// behind a VIP".
//
// The masters and keepalived run in network namespaces the test creates (vip_network.h);
// binrelayd and its replica run on the host and reach the masters over veth pairs and a bridge.
//
// Each master has its own gtid_domain_id (1 and 2), as MariaDB advises for masters that
// both take writes: during a VIP move both may briefly accept writes, and in one shared domain
// their transactions would interleave sequence numbers that gtid_strict_mode then refuses.
// The writes stop and the passive master catches up before the kill: a VIP moved to a master
// that lacks transactions binrelayd already has is the unsafe failover the GTID-safe check
// refuses (docs/failover.md), not this test.

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <thread>

#include "integration/logged_transactions.h"
#include "integration/serve_support.h"
#include "integration/vip_network.h"
#include "support/mariadb_server.h"
#include "support/processes.h"

using namespace binrelay::test;
using namespace std::chrono_literals;

namespace {

constexpr std::uint16_t master_port = 3306;
constexpr int rows_per_phase = 150;

mariadb_options master_options(const vip_network& net, int i) {
  mariadb_options o{
      std::uint32_t(i),
      true,
      {"--log-slave-updates", "--gtid-domain-id=" + std::to_string(i), "--gtid-strict-mode=ON"}};
  o.launcher = net.launcher(i);
  o.bind_address = "0.0.0.0";
  o.port = master_port;
  return o;
}

// CHANGE MASTER TO the other master, by its address on the private network.
void replicate_from(const mariadb_server& m, const std::string& host) {
  m.query("CHANGE MASTER TO MASTER_HOST='" + host +
          "', MASTER_PORT=" + std::to_string(master_port) + ", MASTER_USER='" +
          mariadb_server::user + "', MASTER_PASSWORD='" + mariadb_server::password +
          "', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1; START SLAVE");
}

// Runs `sql` through the VIP, as an application would; throws when no master answers there.
std::string through_vip(const vip_network& net, const std::string& sql) {
  return run_command("mariadb --no-defaults --connect-timeout=2 -N -B -h " + net.vip() + " -P " +
                     std::to_string(master_port) + " -u" + mariadb_server::user + " -p" +
                     mariadb_server::password + " -e \"" + sql + "\"");
}

// `rows_per_phase` one-row transactions through the VIP, each saying which server took it.
void write_phase(const vip_network& net, int phase) {
  std::string sql;
  for (int i = 0; i < rows_per_phase; ++i) {
    sql += "INSERT INTO t.a VALUES (" + std::to_string(phase * 1000 + i) + ", @@server_id);";
  }
  through_vip(net, sql);
}

template <typename F>
bool wait_until(F&& ok, std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!ok()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(200ms);
  }
  return true;
}

std::vector<std::string> gtids_of(const std::vector<std::filesystem::path>& files) {
  std::vector<std::string> out;
  for (const auto& t : read_transactions(files)) out.push_back(t.gtid);
  return out;
}

// binrelayd following the VIP, serving its own replicas on a free port.
struct vip_relay {
  temp_dir dir;
  std::uint16_t port = free_port();
  child_process daemon;

  explicit vip_relay(const vip_network& net) : daemon(args(net), dir.path() / "log", env()) {}

  std::vector<std::string> args(const vip_network& net) const {
    std::vector<std::string> a = {binrelayd_path().string(),
                                  "--upstream=" + net.vip() + ":" + std::to_string(master_port),
                                  "--upstream-user=binrelay",
                                  "--server-id=4242",
                                  "--data-dir=" + (dir.path() / "relay").string(),
                                  "--heartbeat-period-ms=500"};
    for (auto& f : serving_args(port, dir.path())) a.push_back(f);
    return a;
  }
  static std::vector<std::string> env() {
    return {std::string("BINRELAY_UPSTREAM_PASSWORD=") + mariadb_server::password};
  }
  std::vector<std::string> gtids() const { return gtids_of(relay_files(dir.path() / "relay")); }
  bool holds(const std::string& gtid) const {
    try {
      auto g = gtids();
      return std::find(g.begin(), g.end(), gtid) != g.end();
    } catch (const std::exception&) {
      return false;  // a file being written: read again
    }
  }
};

// The last GTID of domain `d` in a gtid_binlog_pos ("1-1-151,2-2-3").
std::string domain_gtid(const std::string& pos, int d) {
  std::string prefix = std::to_string(d) + "-";
  std::size_t at = pos.find(prefix);
  while (at != std::string::npos && at != 0 && pos[at - 1] != ',') at = pos.find(prefix, at + 1);
  if (at == std::string::npos) return "";
  return pos.substr(at, pos.find(',', at) - at);
}

}  // namespace

TEST_CASE(
    "failover: binrelayd behind a keepalived VIP over two MariaDB masters resumes by GTID on "
    "the other master when the VIP moves, nothing lost or doubled",
    "[failover]") {
  REQUIRE(vip_network::available());
  vip_network net;
  temp_dir scratch;
  mariadb_server m1{master_options(net, 1)};
  mariadb_server m2{master_options(net, 2)};
  replicate_from(m1, net.address(2));
  replicate_from(m2, net.address(1));
  keepalived_process k1(net, 1, m1.socket_path().string(), scratch);
  keepalived_process k2(net, 2, m2.socket_path().string(), scratch);
  INFO("keepalived m1:\n" << k1.log() << "\nkeepalived m2:\n" << k2.log());
  REQUIRE(wait_until([&] { return net.holds_vip(1); }, 20s));

  vip_relay relay(net);
  mariadb_server replica{mariadb_options{3, true, {}}};
  follow_relay(replica, relay.port);
  INFO("binrelayd:\n" << relay.daemon.log());

  through_vip(net, "CREATE DATABASE t; CREATE TABLE t.a (id INT PRIMARY KEY, taken_by INT)");
  write_phase(net, 1);
  std::string m1_last = domain_gtid(m1.scalar("SELECT @@gtid_binlog_pos"), 1);
  REQUIRE(wait_until(
      [&] { return domain_gtid(m2.scalar("SELECT @@gtid_binlog_pos"), 1) == m1_last; }, 30s));

  m1.kill9();
  REQUIRE(wait_until([&] { return net.holds_vip(2); }, 20s));
  REQUIRE(wait_until(
      [&] {
        try {
          return through_vip(net, "SELECT @@server_id") == "2\n";
        } catch (const std::exception&) {
          return false;
        }
      },
      20s));
  write_phase(net, 2);

  std::string m2_pos = m2.scalar("SELECT @@gtid_binlog_pos");
  std::string m2_last = domain_gtid(m2_pos, 2);
  REQUIRE(wait_until([&] { return relay.holds(m2_last); }, 60s));
  CHECK(relay.daemon.log().find("server_id 2") != std::string::npos);

  // Every transaction of the surviving master, once, and nothing else.
  auto relayed = relay.gtids();
  std::set<std::string> unique(relayed.begin(), relayed.end());
  CHECK(unique.size() == relayed.size());
  auto survivor = gtids_of(m2.binlog_files());
  CHECK(unique == std::set<std::string>(survivor.begin(), survivor.end()));
  CHECK(m2.scalar("SELECT COUNT(*) FROM t.a") == std::to_string(2 * rows_per_phase));

  // binrelayd's replica converges with the survivor.
  INFO(replica_report(replica));
  CHECK(wait_replica_at(replica, m2_pos, 60s));
  CHECK(table_checksums(replica, "t") == table_checksums(m2, "t"));
}
