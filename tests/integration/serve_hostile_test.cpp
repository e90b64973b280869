// 50 hostile clients at once against binrelayd's serving port (docs/security.md): deep and long
// SQL, oversized and garbage packets, wrong passwords, slow and huge queries. A MariaDB replica
// of binrelayd must stay in sync and binrelayd's memory under a bound.

#include <catch2/catch.hpp>

#include <array>
#include <atomic>
#include <fstream>
#include <random>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "integration/serve_support.h"
#include "protocol/connection.h"
#include "protocol/constants.h"
#include "protocol/handshake_response.h"
#include "protocol/packet_framing.h"

using namespace binrelay;
using namespace binrelay::test;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {

// binrelayd's resident memory, in MiB (0 when it cannot be read).
std::size_t rss_mib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoul(line.substr(6)) / 1024;
  }
  return 0;
}

std::string deep_select(int levels) {
  return "SELECT " + std::string(levels, '(') + "1" + std::string(levels, ')');
}

std::string flat_sum(int terms) {
  std::string s = "SELECT 1";
  for (int i = 1; i < terms; ++i) s += "+1";
  return s;
}

// A raw socket that sends `bytes` after the greeting (or at once), then closes.
asio::awaitable<void> raw_attack(std::uint16_t port, std::vector<std::uint8_t> bytes,
                                 bool read_greeting, std::chrono::milliseconds hold) {
  auto ex = co_await asio::this_coro::executor;
  asio::ip::tcp::socket s(ex);
  boost::system::error_code ec;
  s.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
  if (ec) co_return;
  if (read_greeting) {
    std::array<std::uint8_t, 4096> greeting{};
    co_await s.async_read_some(asio::buffer(greeting),
                               asio::redirect_error(asio::use_awaitable, ec));
  }
  co_await asio::async_write(s, asio::buffer(bytes), asio::redirect_error(asio::use_awaitable, ec));
  asio::steady_timer t(ex, hold);
  co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

// One authenticated hostile statement as the replication user; true when binrelayd answered
// (an ERR is an answer) and the connection stayed usable.
asio::awaitable<bool> hostile_query(std::uint16_t port, std::string sql) {
  protocol::connection c(co_await asio::this_coro::executor);
  protocol::connection_options o;
  o.port = port;
  o.user = repl_user;
  o.password = repl_password;
  o.tls.mode = protocol::tls_mode::disabled;
  if (!co_await c.connect_and_authenticate(o)) co_return false;
  auto r = co_await c.query(sql);
  if (r) co_return true;
  if (r.error().code != errc::server_error) co_return false;
  co_return static_cast<bool>(co_await c.query("SELECT 1"));
}

// A wrong-password login from 127.0.0.2: the login throttle blocks that address after a few,
// and must not block the replica and the clients on 127.0.0.1.
asio::awaitable<void> wrong_password(std::uint16_t port) {
  asio::ip::tcp::socket s(co_await asio::this_coro::executor);
  boost::system::error_code ec;
  s.open(asio::ip::tcp::v4(), ec);
  s.bind({asio::ip::make_address("127.0.0.2"), 0}, ec);
  s.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
  if (ec) co_return;
  std::array<std::uint8_t, 4096> in{};
  co_await s.async_read_some(asio::buffer(in), asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return;
  protocol::handshake_response r;
  r.capabilities =
      protocol::cap::protocol_41 | protocol::cap::secure_connection | protocol::cap::plugin_auth;
  r.user = repl_user;
  r.auth_response.assign(20, 0x5a);
  r.auth_plugin_name = "mysql_native_password";
  std::vector<std::uint8_t> frame;
  std::uint8_t sequence = 1;
  protocol::append_frames(frame, protocol::build_handshake_response(r), sequence);
  co_await asio::async_write(s, asio::buffer(frame), asio::redirect_error(asio::use_awaitable, ec));
  co_await s.async_read_some(asio::buffer(in), asio::redirect_error(asio::use_awaitable, ec));
}

struct tally {
  std::atomic<int> answered{0};
  std::atomic<int> unanswered{0};
};

// Client `id` runs `rounds` attacks, a different kind each round.
asio::awaitable<void> hostile_client(int id, int rounds, std::uint16_t port, tally& t) {
  std::mt19937 rng(id);
  for (int round = 0; round < rounds; ++round) {
    switch ((id + round) % 8) {
      case 0:
        (co_await hostile_query(port, deep_select(5000)) ? t.answered : t.unanswered)++;
        break;
      case 1:
        (co_await hostile_query(port, flat_sum(100000)) ? t.answered : t.unanswered)++;
        break;
      case 2: {  // a handshake response claiming 16 MB, then 8 MB of it
        std::vector<std::uint8_t> bytes(4 + (8 << 20), 'x');
        bytes[0] = bytes[1] = bytes[2] = 0xff;
        bytes[3] = 0x01;
        co_await raw_attack(port, std::move(bytes), true, 1000ms);
        break;
      }
      case 3: {  // garbage instead of a handshake
        std::vector<std::uint8_t> bytes(4096);
        for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
        co_await raw_attack(port, std::move(bytes), true, 50ms);
        break;
      }
      case 4:
        co_await wrong_password(port);
        break;
      case 5: {  // slowloris: one byte, then silence
        std::vector<std::uint8_t> one(1, 0x20);
        co_await raw_attack(port, std::move(one), true, 1500ms);
        break;
      }
      case 6:
        (co_await hostile_query(port, "SET GLOBAL read_only = 1, @x = " + std::string(1000, '(') +
                                          "1" + std::string(1000, ')'))
             ? t.answered
             : t.unanswered)++;
        break;
      case 7:
        (co_await hostile_query(port, "SELECT '" + std::string(2 << 20, 'q') + "'")
             ? t.answered
             : t.unanswered)++;
        break;
    }
  }
}

}  // namespace

TEST_CASE(
    "serve: 50 hostile clients at once leave a live replica in sync and binrelayd's memory "
    "bounded",
    "[serve]") {
  mariadb_server primary;
  serving_relay relay(primary, {}, 200);
  mariadb_server replica(mariadb_options{3, true, {}});
  follow_relay(replica, relay.port);
  REQUIRE(wait_replica_at(replica, primary.scalar("SELECT @@gtid_binlog_pos")));
  pid_t pid = relay.relay.process().pid();
  std::size_t before = rss_mib(pid);

  std::atomic<bool> attacking{true};
  std::size_t peak = before;
  std::thread sampler([&] {
    while (attacking) {
      peak = std::max(peak, rss_mib(pid));
      std::this_thread::sleep_for(50ms);
    }
  });
  std::thread writer([&] {
    for (int from = 200; attacking && from < 2000; from += 20) write_rows(primary, from, from + 20);
  });
  tally t;
  asio::io_context io;
  for (int id = 0; id < 50; ++id)
    asio::co_spawn(io, hostile_client(id, 8, relay.port, t), asio::detached);
  io.run_for(120s);
  attacking = false;
  sampler.join();
  writer.join();

  INFO(relay.relay.log());
  REQUIRE(relay.relay.process().running());
  CHECK(t.unanswered == 0);
  CHECK(t.answered > 0);
  bool synced = wait_replica_at(replica, primary.scalar("SELECT @@gtid_binlog_pos"), 60s);
  INFO(replica_report(replica));
  REQUIRE(synced);
  CHECK(table_checksums(replica, "t") == table_checksums(primary, "t"));
  // docs/security.md: memory per connection is bounded before and after login.
  WARN("binrelayd RSS before the attack " << before << " MiB, peak during it " << peak << " MiB");
  CHECK(peak < before + 256);
  CHECK(relay.relay.terminate() == 0);
}
