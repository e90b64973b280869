// Failover on real MySQL 9.7 servers (docs/failover.md): a weighted source list with the
// GTID-safe switch, and a 3-member Group Replication group in single-primary mode followed
// through a stopped member, a primary cut off in a minority, and a kill -9 of the primary
// under write load.

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include "gtid/gtid_set.h"
#include "integration/failover_relay.h"
#include "integration/mysql_serve_support.h"
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

// binrelayd's Seconds_Behind_Source, polled every 100 ms from construction to stop().
class lag_samples {
 public:
  struct sample {
    double at_s = 0;  // since construction
    std::string io_running, port, seconds_behind;
  };
  explicit lag_samples(const failover_relay& relay)
      : start_(std::chrono::steady_clock::now()), thread_([this, &relay] { run(relay); }) {}
  ~lag_samples() { stop(); }
  void stop() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
  }
  std::vector<sample> taken() const {
    std::lock_guard lock(mutex_);
    return samples_;
  }

 private:
  void run(const failover_relay& relay) {
    while (!stopping_) {
      try {
        auto st = relay.status();
        std::chrono::duration<double> at = std::chrono::steady_clock::now() - start_;
        std::lock_guard lock(mutex_);
        samples_.push_back(
            {at.count(), st["Slave_IO_Running"], st["Master_Port"], st["Seconds_Behind_Master"]});
      } catch (const std::exception&) {
        // the admin port is busy or binrelayd is restarting: no sample
      }
      std::this_thread::sleep_for(100ms);
    }
  }
  std::chrono::steady_clock::time_point start_;
  mutable std::mutex mutex_;
  std::vector<sample> samples_;
  std::atomic<bool> stopping_ = false;
  std::thread thread_;
};

// Seconds_Behind_Source is NULL exactly while the IO thread is not streaming, and otherwise a
// number no larger than the time since the samples began (the last event binrelayd held was
// then at most `slack_s` old).
void check_plausible_lag(const std::vector<lag_samples::sample>& samples, double slack_s) {
  std::string seen;
  for (const auto& s : samples) {
    seen += std::to_string(int(s.at_s * 10) / 10.0) + "s " + s.io_running + " " + s.port + " " +
            s.seconds_behind + "\n";
  }
  INFO("samples (time, Slave_IO_Running, Master_Port, Seconds_Behind_Master):\n" << seen);
  for (const auto& s : samples) {
    if (s.io_running != "Yes") {
      CHECK(s.seconds_behind == "NULL");
      continue;
    }
    REQUIRE(s.seconds_behind != "NULL");
    REQUIRE(!s.seconds_behind.empty());
    CHECK(std::stod(s.seconds_behind) <= s.at_s + slack_s);
  }
  REQUIRE(!samples.empty());
  CHECK(samples.back().seconds_behind == "0");
}

// Waits until `server` accepts writes (a new PRIMARY is read-only while it applies its
// backlog); false on timeout.
bool wait_writable(const mysql_server& server, std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (server.scalar("SELECT @@global.super_read_only") == "0") return true;
    std::this_thread::sleep_for(100ms);
  }
  return false;
}

std::string checksum(const mysql_server& server) {
  return server.rows("CHECKSUM TABLE d.t").at(0).at(1);
}

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

// MySQL starts a dump with the Format_description and Previous_gtids events of its binlog
// file, stamped when the file was created; when that file holds no transaction (a source that
// has just rotated) they are all binrelayd receives until the next heartbeat.
TEST_CASE(
    "mysql: failover: after connecting to a source with nothing new Seconds_Behind_Source is 0 "
    "and not the age of the source's binlog file") {
  mysql_options o;
  o.server_id = 13;
  mysql_server source(o);
  source.query("CREATE DATABASE d");
  failover_relay relay({address(source)}, {"--heartbeat-period-ms=60000"});
  relay.start();
  REQUIRE_RELAY(relay, relay_holds(relay, parse_set(executed(source)), 30s));
  REQUIRE(relay.terminate() == 0);
  source.query("FLUSH BINARY LOGS");
  std::this_thread::sleep_for(3s);  // the source's new binlog file is older than that
  relay.start();
  REQUIRE_RELAY(relay, streams_from(relay, source, 30s));
  std::this_thread::sleep_for(1s);  // the dump's first events have arrived
  auto st = relay.status();
  CHECK(st["Slave_IO_Running"] == "Yes");
  CHECK_RELAY(relay, st["Seconds_Behind_Master"] == "0");
}

namespace {

// The phases of the Group Replication scenario below, on one group.

// A SIGSTOPped secondary is suspected, expelled, and never used meanwhile; then it rejoins.
void stopped_secondary_is_left(mysql_group& group, const failover_relay& relay) {
  group.pause(2);
  REQUIRE_RELAY(
      relay, relay.wait_status(
                 [&](auto) { return source_row(relay, group.member(2)).count("Port") == 0; }, 30s));
  CHECK(relay.status()["Master_Port"] == std::to_string(group.member(0).port()));
  CHECK(relay.log().find(address(group.member(2)) + " left the group") != std::string::npos);
  group.resume(2);
  group.member(2).query("STOP GROUP_REPLICATION");
  group.join(2);
  REQUIRE(group.wait_online(3, 0));
}

// kill -9 of the primary (member 0) under load; the load goes on on the new PRIMARY while
// binrelayd switches to it, and binrelayd's MySQL replica converges. Returns the new PRIMARY.
mysql_server& killed_primary_is_followed(mysql_group& group, const failover_relay& relay,
                                         const mysql_server& replica) {
  lag_samples lag(relay);
  write_load load(group.member(0));
  std::this_thread::sleep_for(2s);
  auto killed = std::chrono::steady_clock::now();
  group.member(0).kill9();
  load.stop();
  int fresh = group.wait_new_primary(0, 60s);
  REQUIRE(fresh > 0);
  auto elected = std::chrono::steady_clock::now() - killed;
  mysql_server& next = group.member(std::size_t(fresh));
  REQUIRE(wait_writable(next, 30s));
  write_load more(next);
  REQUIRE_RELAY(relay, streams_from(relay, next, 30s));
  auto took = std::chrono::steady_clock::now() - killed;
  WARN("group elected a new PRIMARY after "
       << std::chrono::duration_cast<std::chrono::milliseconds>(elected).count()
       << " ms, binrelayd followed it after "
       << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms");
  // 5 s of suspicion, the expel timeout (0), then up to 5 s for binrelayd.
  CHECK_RELAY(relay, took <= 5s + 5s);
  CHECK_RELAY(relay, took - elected <= 5s);
  std::this_thread::sleep_for(2s);
  more.stop();
  gtid_set survivors = parse_set(executed(next));
  REQUIRE_RELAY(relay, relay_holds(relay, survivors, 30s));
  CHECK(relay_set(relay) == survivors);  // every transaction exactly once
  CHECK(load.committed() > 0);
  CHECK(more.committed() > 0);
  CHECK(relay.log().find("switched source: following " + address(next)) != std::string::npos);
  // Idle, the source sends heartbeats (MySQL's are Heartbeat_log_event_v2): binrelayd is 0 s
  // behind, not as far behind as its last transaction is old.
  std::this_thread::sleep_for(3s);
  CHECK_RELAY(relay, relay.status()["Seconds_Behind_Master"] == "0");
  lag.stop();
  check_plausible_lag(lag.taken(), 5);
  CHECK_RELAY(relay, wait_replica_has(replica, survivors.to_string(), 60s));
  CHECK(checksum(replica) == checksum(next));
  return next;
}

// The old primary comes back with a transaction of its own, cannot rejoin, and a restarted
// binrelayd told of it first (highest weight) refuses it.
void errant_old_primary_is_refused(mysql_group& group, failover_relay& relay,
                                   const mysql_server& next) {
  mysql_server& old = group.member(0);
  group.restart(0);
  old.query("SET GLOBAL super_read_only=OFF; CREATE DATABASE errant");
  try {
    group.join(0);
  } catch (const std::exception&) {
    // refused: it has transactions the group does not
  }
  next.query("INSERT INTO d.t (v) VALUES ('after the old primary came back')");
  gtid_set survivors = parse_set(executed(next));
  REQUIRE(relay.terminate() == 0);
  relay.add_arg("--upstream=" + address(old) + ",100");
  relay.start();
  REQUIRE_RELAY(relay, streams_from(relay, next, 60s));
  REQUIRE_RELAY(relay, relay_holds(relay, survivors, 60s));
  CHECK(source_row(relay, old)["Last_Error"].find("lacks GTIDs") != std::string::npos);
  CHECK(relay_set(relay) == survivors);
}

// The PRIMARY of the two-member group left loses its majority when the other member is
// SIGSTOPped: binrelayd stops streaming from it (and tries the stopped member, which the last
// majority view still lists as ONLINE, and the refused old primary), then comes back.
void primary_in_minority_is_left(mysql_group& group, const failover_relay& relay,
                                 const mysql_server& next, std::size_t other) {
  group.pause(other);
  REQUIRE_RELAY(relay, relay.wait_status(
                           [&](auto s) {
                             return s["Slave_IO_Running"] != "Yes" &&
                                    source_row(relay, next)["Usable"].find("minority") !=
                                        std::string::npos;
                           },
                           30s));
  CHECK(relay.log().find("it is in a minority partition") != std::string::npos);
  std::this_thread::sleep_for(2s);
  CHECK(relay.status()["Slave_IO_Running"] != "Yes");
  group.resume(other);
  REQUIRE_RELAY(relay, streams_from(relay, next, 30s));
}

}  // namespace

// One group for every scenario, in order: binrelayd told of a SECONDARY only finds the
// PRIMARY; a SIGSTOPped secondary is expelled and left alone; a kill -9 of the primary under
// write load is followed to the new PRIMARY, every transaction once, with a plausible
// Seconds_Behind_Source throughout, and a MySQL replica of binrelayd converges; after a
// restart binrelayd refuses the old primary, back with an errant transaction; the new
// primary, its one secondary SIGSTOPped, sees a minority and is no longer used until it is
// back (the stopped member cannot elect anyone, so there is no other primary to go to).
// The members expel at once (expel timeout 0): with any other value MySQL expels only at its
// next 15-s suspicion check (docs/failover.md, "How long a failover takes").
TEST_CASE("mysql: failover: binrelayd follows the PRIMARY of a Group Replication group") {
  mysql_group group(3, 0);
  REQUIRE(group.primary() == 0);
  mysql_server& primary = group.member(0);
  primary.query("CREATE DATABASE d; CREATE TABLE d.t (id INT AUTO_INCREMENT PRIMARY KEY, v TEXT)");
  failover_relay relay({address(group.member(1))}, {"--source-monitor-interval-ms=500"});
  relay.start();
  auto replica_start = std::async(std::launch::async, [] {
    mysql_options o;
    o.server_id = 201;
    return std::make_unique<mysql_server>(o);
  });
  REQUIRE_RELAY(relay, streams_from(relay, primary, 30s));
  CHECK(relay.log().find("is the new PRIMARY") != std::string::npos);
  REQUIRE_RELAY(relay, relay_holds(relay, parse_set(executed(primary)), 30s));
  CHECK(relay.sources().size() == 3);

  stopped_secondary_is_left(group, relay);
  std::unique_ptr<mysql_server> replica = replica_start.get();
  follow_mysql_relay(*replica, relay.port());
  mysql_server& next = killed_primary_is_followed(group, relay, *replica);
  errant_old_primary_is_refused(group, relay, next);
  std::size_t other = &next == &group.member(1) ? 2 : 1;
  primary_in_minority_is_left(group, relay, next, other);
}
