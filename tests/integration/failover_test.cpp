// Failover on real MySQL 9.7 servers (docs/failover.md): a weighted source list with the
// GTID-safe switch, and a 3-member Group Replication group in single-primary mode followed
// through a stopped member, a primary cut off in a minority, and a kill -9 of the primary
// under write load.

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

#include "gtid/gtid_set.h"
#include "integration/failover_relay.h"
#include "support/mysql_group.h"
#include "support/mysql_server.h"

using namespace binrelay::test;
using namespace std::chrono_literals;
using binrelay::gtid::gtid_set;

// REQUIRE that shows binrelayd's log when it fails.
#define REQUIRE_RELAY(relay, ...)                                                    \
  do {                                                                               \
    if (!(__VA_ARGS__)) FAIL(#__VA_ARGS__ << "\nbinrelayd log:\n" << (relay).log()); \
  } while (0)

// CHECK that shows binrelayd's log when it fails.
#define CHECK_RELAY(relay, ...)                                                            \
  do {                                                                                     \
    if (!(__VA_ARGS__)) FAIL_CHECK(#__VA_ARGS__ << "\nbinrelayd log:\n" << (relay).log()); \
  } while (0)

namespace {

std::string address(const mysql_server& s) {
  return "127.0.0.1:" + std::to_string(s.port());
}

gtid_set parse_set(const std::string& text) {
  auto s = gtid_set::parse(text);
  if (!s) throw std::runtime_error("bad GTID set '" + text + "'");
  return *s;
}

// MySQL's mysql -B prints the set's newlines as "\n".
std::string executed(const mysql_server& s) {
  std::string text = s.scalar("SELECT @@global.gtid_executed");
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == 'n') {
      ++i;
      continue;
    }
    out += text[i];
  }
  return out;
}

// The relay log's GTIDs as a set; REQUIREs that none appears twice.
gtid_set relay_set(const failover_relay& relay) {
  auto gtids = relay.relay_gtids();
  std::set<std::string> unique(gtids.begin(), gtids.end());
  INFO(relay.log());
  REQUIRE(unique.size() == gtids.size());
  gtid_set out;
  for (const auto& g : gtids) out.add(parse_set(g));
  return out;
}

// Waits until the relay log files hold exactly the GTIDs of `target`.
bool relay_holds(const failover_relay& relay, const gtid_set& target,
                 std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      gtid_set held;
      for (const auto& g : relay.relay_gtids()) held.add(parse_set(g));
      if (held == target) return true;
    } catch (const std::exception&) {
      // a file may be mid-write; try again
    }
    std::this_thread::sleep_for(200ms);
  }
  return false;
}

std::map<std::string, std::string> source_row(const failover_relay& relay, const mysql_server& s) {
  for (auto& row : relay.sources()) {
    if (row["Port"] == std::to_string(s.port())) return row;
  }
  return {};
}

bool streams_from(const failover_relay& relay, const mysql_server& s,
                  std::chrono::seconds timeout) {
  return relay.wait_status(
      [&](auto st) {
        return st["Master_Port"] == std::to_string(s.port()) && st["Slave_IO_Running"] == "Yes";
      },
      timeout);
}

// Writes transactions of 20 rows each into d.t of `server` until stopped or it fails.
class write_load {
 public:
  explicit write_load(const mysql_server& server) : thread_([this, &server] { run(server); }) {}
  ~write_load() { stop(); }
  void stop() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
  }
  int committed() const { return committed_; }

 private:
  void run(const mysql_server& server) {
    for (int batch = 0; !stopping_ && batch < 5000; ++batch) {
      std::string sql = "BEGIN;";
      for (int i = 0; i < 20; ++i) sql += "INSERT INTO d.t (v) VALUES (REPEAT('x', 200));";
      try {
        server.query(sql + "COMMIT;");
        ++committed_;
      } catch (const std::exception&) {
        return;  // the server went away
      }
    }
  }
  std::atomic<bool> stopping_ = false;
  std::atomic<int> committed_ = 0;
  std::thread thread_;
};

}  // namespace

TEST_CASE(
    "mysql: failover: a new source lacking GTIDs binrelayd holds is refused, "
    "or accepted and reported errant") {
  mysql_options oa, ob;
  oa.server_id = 11;
  ob.server_id = 12;
  mysql_server a(oa), b(ob);
  a.query("CREATE DATABASE d; CREATE TABLE d.t (id INT PRIMARY KEY); INSERT INTO d.t VALUES (1)");
  b.query("CREATE DATABASE e");
  gtid_set a_set = parse_set(executed(a));
  // b is listed first, a has the higher weight: a is used.
  failover_relay relay({address(b) + ",40", address(a) + ",60"});
  relay.start();
  REQUIRE_RELAY(relay, relay_holds(relay, a_set, 60s));
  CHECK(relay.status()["Master_Port"] == std::to_string(a.port()));

  a.kill9();
  REQUIRE_RELAY(
      relay,
      relay.wait_status(
          [](auto s) { return s["Last_IO_Error"].find("lacks GTIDs") != std::string::npos; }, 60s));
  auto s = relay.status();
  CHECK(s["Last_IO_Errno"] == "1593");
  CHECK(s["Last_IO_Error"].find(a_set.to_string()) != std::string::npos);
  CHECK(source_row(relay, b)["Last_Error"].find("lacks GTIDs") != std::string::npos);
  CHECK(relay.log().find("lacks GTIDs binrelayd already holds") != std::string::npos);
  CHECK(relay_set(relay) == a_set);

  REQUIRE(relay.terminate() == 0);
  relay.add_arg("--failover-accept-missing-gtids");
  relay.start();
  gtid_set both = a_set;
  both.add(parse_set(executed(b)));
  REQUIRE_RELAY(relay, relay_holds(relay, both, 60s));
  auto row = source_row(relay, b);
  CHECK(row["Current"] == "Yes");
  CHECK(row["Errant_Gtids"] == a_set.to_string());
  CHECK(relay.log().find("they are errant") != std::string::npos);
  CHECK(relay.log().find("never followed") != std::string::npos);
  CHECK(relay_set(relay) == both);
}

// One group for every scenario, in order: binrelayd told of a SECONDARY only finds the
// PRIMARY; a SIGSTOPped secondary is expelled and left alone; a primary whose two
// secondaries are SIGSTOPped sees a minority and is no longer used until they are back (the
// two stopped members cannot elect anyone, so there is no other primary to go to); a kill -9
// of the primary under write load is followed to the new PRIMARY, every transaction once;
// after a restart binrelayd refuses the old primary, back with an errant transaction.
TEST_CASE("mysql: failover: binrelayd follows the PRIMARY of a Group Replication group") {
  constexpr int expel_timeout_s = 1;
  mysql_group group(3, expel_timeout_s);
  REQUIRE(group.primary() == 0);
  mysql_server& primary = group.member(0);
  primary.query("CREATE DATABASE d; CREATE TABLE d.t (id INT AUTO_INCREMENT PRIMARY KEY, v TEXT)");
  failover_relay relay({address(group.member(1))}, {"--source-monitor-interval-ms=500"});
  relay.start();
  REQUIRE_RELAY(relay, streams_from(relay, primary, 30s));
  CHECK(relay.log().find("is the new PRIMARY") != std::string::npos);
  REQUIRE_RELAY(relay, relay_holds(relay, parse_set(executed(primary)), 30s));
  CHECK(relay.sources().size() == 3);

  // A stopped secondary is suspected, expelled, and never used meanwhile.
  group.pause(2);
  REQUIRE_RELAY(
      relay, relay.wait_status(
                 [&](auto) { return source_row(relay, group.member(2)).count("Port") == 0; }, 30s));
  CHECK(relay.status()["Master_Port"] == std::to_string(primary.port()));
  CHECK(relay.log().find(address(group.member(2)) + " left the group") != std::string::npos);
  group.resume(2);
  group.member(2).query("STOP GROUP_REPLICATION");
  group.join(2);
  REQUIRE(group.wait_online(3, 0));

  // The primary loses its majority: binrelayd stops streaming from it (and tries the stopped
  // members, which the last majority view still lists as ONLINE), then comes back.
  group.pause(1);
  group.pause(2);
  REQUIRE_RELAY(relay, relay.wait_status(
                           [&](auto s) {
                             return s["Slave_IO_Running"] != "Yes" &&
                                    source_row(relay, primary)["Usable"].find("minority") !=
                                        std::string::npos;
                           },
                           30s));
  CHECK(relay.log().find("it is in a minority partition") != std::string::npos);
  std::this_thread::sleep_for(2s);
  CHECK(relay.status()["Slave_IO_Running"] != "Yes");
  group.resume(1);
  group.resume(2);
  REQUIRE_RELAY(relay, streams_from(relay, primary, 30s));

  // kill -9 of the primary under load.
  write_load load(primary);
  std::this_thread::sleep_for(2s);
  auto killed = std::chrono::steady_clock::now();
  primary.kill9();
  load.stop();
  int fresh = group.wait_new_primary(0, 60s);
  REQUIRE(fresh > 0);
  auto elected = std::chrono::steady_clock::now() - killed;
  mysql_server& next = group.member(std::size_t(fresh));
  REQUIRE_RELAY(relay, streams_from(relay, next, 30s));
  auto took = std::chrono::steady_clock::now() - killed;
  WARN("group elected a new PRIMARY after "
       << std::chrono::duration_cast<std::chrono::milliseconds>(elected).count()
       << " ms, binrelayd followed it after "
       << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms");
  CHECK_RELAY(relay, took - elected <= 5s);
  next.query("INSERT INTO d.t (v) VALUES ('after failover')");
  gtid_set survivors = parse_set(executed(next));
  REQUIRE_RELAY(relay, relay_holds(relay, survivors, 30s));
  CHECK(relay_set(relay) == survivors);  // every transaction exactly once
  CHECK(load.committed() > 0);
  CHECK(relay.log().find("switched source: following " + address(next)) != std::string::npos);

  // The old primary comes back with a transaction of its own, and cannot rejoin.
  group.restart(0);
  primary.query("SET GLOBAL super_read_only=OFF; CREATE DATABASE errant");
  try {
    group.join(0);
  } catch (const std::exception&) {
    // refused: it has transactions the group does not
  }
  next.query("INSERT INTO d.t (v) VALUES ('after the old primary came back')");
  survivors = parse_set(executed(next));
  // Restarted and told of the old primary first (highest weight), binrelayd refuses it.
  REQUIRE(relay.terminate() == 0);
  relay.add_arg("--upstream=" + address(primary) + ",100");
  relay.start();
  REQUIRE_RELAY(relay, streams_from(relay, next, 60s));
  REQUIRE_RELAY(relay, relay_holds(relay, survivors, 60s));
  CHECK(source_row(relay, primary)["Last_Error"].find("lacks GTIDs") != std::string::npos);
  CHECK(relay_set(relay) == survivors);
}
