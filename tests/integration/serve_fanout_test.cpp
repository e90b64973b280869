// Fan-out: many light replicas (binrelay's own replication client, MariaDB GTID connect
// sequence) read from binrelayd while the primary writes; every one receives every
// transaction in order, and binrelayd's memory stays bounded. Also: duplicate server_ids.

#include <catch2/catch.hpp>

#include <unistd.h>
#include <atomic>

#include <fstream>
#include <sstream>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "integration/relay_harness.h"
#include "integration/serve_support.h"
#include "protocol/replication_client.h"

using namespace binrelay;
using namespace binrelay::test;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {

constexpr std::uint8_t mariadb_gtid_event = 162;

struct light_replica {
  std::vector<std::uint64_t> seq_nos;  // of the GTID events received, in order
  std::string error;
  bool done = false;
};

std::uint64_t seq_no_of(const std::vector<std::uint8_t>& e) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = v << 8 | e[19 + i];
  return v;
}

// Reads until a GTID event with seq_no `last` (once it is known) has arrived.
asio::awaitable<void> run_light_replica(std::uint16_t port, std::uint32_t server_id,
                                        const std::atomic<std::uint64_t>& last, light_replica& r) {
  protocol::replication_client client(co_await asio::this_coro::executor);
  protocol::replication_options o;
  o.connection.port = port;
  o.connection.user = repl_user;
  o.connection.password = repl_password;
  o.connection.tls.mode = protocol::tls_mode::disabled;
  o.server_id = server_id;
  o.heartbeat_period = 1000ms;
  o.heartbeat_slack = 5000ms;          // a loaded test machine
  o.connection.connect_timeout = 60s;  // 100 logins at once on 2 busy cores
  auto started = co_await client.start(o);
  if (!started) {
    r.error = started.error().describe();
    co_return;
  }
  auto deadline = std::chrono::steady_clock::now() + 180s;
  for (;;) {
    if (std::chrono::steady_clock::now() > deadline) {
      r.error = "not everything received within 180 s";
      co_return;
    }
    auto event = co_await client.read_event();
    if (!event || !*event) {
      r.error = event ? "stream ended" : event.error().describe();
      co_return;
    }
    const auto& bytes = (*event)->bytes;
    if (bytes.size() > 27 && bytes[4] == mariadb_gtid_event) r.seq_nos.push_back(seq_no_of(bytes));
    std::uint64_t l = last.load();
    if (l != 0 && !r.seq_nos.empty() && r.seq_nos.back() >= l) {
      r.done = true;
      co_return;
    }
  }
}

std::uint64_t rss_kib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6));
  }
  return 0;
}

// User + system CPU seconds used by `pid` so far.
double cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  std::istringstream fields(text.substr(text.rfind(')') + 2));
  std::string f;
  std::uint64_t utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> f; ++i) {
    if (i == 14) utime = std::stoull(f);
    if (i == 15) stime = std::stoull(f);
  }
  return double(utime + stime) / double(sysconf(_SC_CLK_TCK));
}

}  // namespace

TEST_CASE("serve: 100 light replicas read everything while the primary writes, RSS bounded",
          "[serve]") {
  constexpr int replicas = 100;
  mariadb_server primary;
  serving_relay s(primary, {"--relay-log-max-size=200000"}, 10);
  relay_harness& relay = s.relay;
  std::uint16_t port = s.port;

  asio::io_context io;
  std::atomic<std::uint64_t> last{0};
  std::vector<light_replica> results(replicas);
  for (int i = 0; i < replicas; ++i) {
    asio::co_spawn(io, run_light_replica(port, 5000 + i, last, results[i]), asio::detached);
  }
  double cpu_before = cpu_seconds(relay.process().pid());
  auto started = std::chrono::steady_clock::now();
  std::thread reader([&] { io.run(); });
  std::uint64_t max_rss = 0;
  for (int i = 10; i < 1010; i += 50) {
    write_rows(primary, i, i + 50);
    max_rss = std::max(max_rss, rss_kib(relay.process().pid()));
  }
  REQUIRE(relay.wait_caught_up());
  auto all = read_transactions(relay_files(relay.data_dir()));
  std::vector<std::uint64_t> expected;
  for (const auto& t : all) expected.push_back(std::stoull(t.gtid.substr(t.gtid.rfind('-') + 1)));
  last = expected.back();
  reader.join();
  max_rss = std::max(max_rss, rss_kib(relay.process().pid()));
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  WARN("binrelayd with " << replicas << " replicas: max RSS " << max_rss / 1024 << " MiB, CPU "
                         << cpu_seconds(relay.process().pid()) - cpu_before << " s in " << seconds
                         << " s");
  int complete = 0;
  std::string failures;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    if (r.done && r.seq_nos == expected) {
      ++complete;
    } else {
      failures += "replica " + std::to_string(i) + ": " + std::to_string(r.seq_nos.size()) +
                  " of " + std::to_string(expected.size()) + " transactions; " + r.error + "\n";
    }
  }
  INFO(failures << relay.log());
  CHECK(complete == replicas);
  CHECK(max_rss < 256 * 1024);
  CHECK(relay.terminate() == 0);
}

TEST_CASE("serve: a second replica with the same server_id replaces the first, as on MySQL",
          "[serve]") {
  mariadb_server primary;
  serving_relay s(primary, {}, 10);
  relay_harness& relay = s.relay;
  std::uint16_t port = s.port;
  asio::io_context io;
  auto work = asio::make_work_guard(io);
  std::atomic<std::uint64_t> last{0};
  light_replica first;
  light_replica second;
  asio::co_spawn(io, run_light_replica(port, 77, last, first), asio::detached);
  std::thread reader([&] { io.run(); });
  REQUIRE(relay.process().wait_for_log("server_id 77) starts a binlog dump", 20s));
  asio::co_spawn(io, run_light_replica(port, 77, last, second), asio::detached);
  write_rows(primary, 10, 20);
  REQUIRE(relay.wait_caught_up());
  std::string pos = primary.scalar("SELECT @@gtid_binlog_pos");
  last = std::stoull(pos.substr(pos.rfind('-') + 1));
  work.reset();
  reader.join();
  INFO(first.error << "\n" << second.error << "\n" << relay.log());
  CHECK_FALSE(first.done);
  CHECK(second.done);
  CHECK(second.seq_nos.back() == last);
  CHECK(relay.log().find("replaced by a newer connection") != std::string::npos);
  CHECK(relay.terminate() == 0);
}
