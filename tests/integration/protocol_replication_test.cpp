#include <catch2/catch.hpp>

#include <unistd.h>

#include <boost/asio/this_coro.hpp>

#include "common/bytes.h"
#include "integration/protocol_support.h"
#include "protocol/replication_client.h"
#include "protocol/replication_commands.h"

using namespace binrelay;
using namespace binrelay::protocol;
using namespace binrelay::test;
namespace asio = boost::asio;

namespace {

constexpr std::uint8_t gtid_event_type = 162;  // MariaDB GTID_EVENT
constexpr std::uint8_t query_event_type = 2;
constexpr std::uint8_t write_rows_v1_type = 23;

replication_options replica_of(const mariadb_server& srv, std::string connect_state) {
  replication_options o;
  o.connection = options_for(srv);
  o.server_id = 77;
  o.heartbeat_period = std::chrono::milliseconds(500);
  o.dump_flags = dump_flag::non_block;
  o.mariadb_connect_state = std::move(connect_state);
  o.report_host = "binrelay-test";
  return o;
}

}  // namespace

TEST_CASE("protocol: MariaDB replica connect and GTID dump streams our transactions") {
  mariadb_server srv;
  srv.query("CREATE DATABASE r; CREATE TABLE r.t (id INT PRIMARY KEY, v VARCHAR(20))");
  std::string start = srv.scalar("SELECT @@gtid_binlog_pos");
  srv.query("INSERT INTO r.t VALUES (1, 'one')");
  srv.query("INSERT INTO r.t VALUES (2, 'two')");
  std::string end = srv.scalar("SELECT @@gtid_binlog_pos");

  run_client([&]() -> asio::awaitable<void> {
    replication_client client(co_await asio::this_coro::executor);
    auto info = co_await client.start(replica_of(srv, start));
    REQUIRE(info);
    CHECK(info->flavour == server_flavour::mariadb);
    CHECK_THAT(info->server_version, Catch::Contains("MariaDB"));
    CHECK_THAT(info->server_version, !Catch::StartsWith("5.5.5-"));
    CHECK(info->source_server_id == 1);
    CHECK(info->gtid_domain_id == 0u);
    CHECK(info->checksum == binlog_checksum::crc32);
    CHECK(std::abs(info->clock_diff_s) <= 2);

    std::vector<std::uint64_t> gtid_seqs;
    bool saw_insert = false;
    int events = 0;
    while (true) {
      auto e = co_await client.read_event();
      REQUIRE(e);
      if (!e->has_value()) break;
      const auto& bytes = (*e)->bytes;
      REQUIRE(bytes.size() >= 19);
      CHECK(load_u32(bytes.data() + 9) == bytes.size());  // event_size covers the checksum
      ++events;
      std::uint8_t type = bytes[4];
      if (type == gtid_event_type) gtid_seqs.push_back(load_u64(bytes.data() + 19));
      if (type == write_rows_v1_type || type == 30) saw_insert = true;
      (void)query_event_type;
    }
    CHECK(events > 4);
    CHECK(saw_insert);
    // Only the two transactions after `start` are sent.
    std::uint64_t end_seq = std::stoull(end.substr(end.rfind('-') + 1));
    CHECK(gtid_seqs == std::vector<std::uint64_t>{end_seq - 1, end_seq});
  });
  // The source lists us as a replica while the dump thread lived; its query log is not needed.
}

TEST_CASE("protocol: MariaDB refuses a purged GTID position with ERR 1236") {
  mariadb_server srv;
  srv.query("CREATE DATABASE p; CREATE TABLE p.t (id INT PRIMARY KEY)");
  srv.query("INSERT INTO p.t VALUES (1)");
  srv.query("FLUSH BINARY LOGS");
  srv.query("INSERT INTO p.t VALUES (2)");
  auto files = srv.binlog_files();
  REQUIRE(files.size() >= 2);
  // MariaDB keeps a file until its binlog checkpoint is written; retry the purge briefly.
  for (int attempt = 0; attempt < 50 && srv.binlog_files().size() > 1; ++attempt) {
    srv.query("PURGE BINARY LOGS TO '" + files.back().filename().string() + "'");
    if (srv.binlog_files().size() > 1) usleep(100'000);
  }
  REQUIRE(srv.binlog_files().size() == 1);

  run_client([&]() -> asio::awaitable<void> {
    replication_client client(co_await asio::this_coro::executor);
    auto o = replica_of(srv, "0-1-1");
    o.dump_flags = 0;
    auto info = co_await client.start(o);
    REQUIRE(info);
    auto e = co_await client.read_event();
    // MariaDB may send the artificial Rotate/Format events before refusing.
    while (e && e->has_value()) e = co_await client.read_event();
    REQUIRE_FALSE(e);
    CHECK(e.error().code == errc::server_error);
    CHECK(e.error().server_errno == 1236);
    CHECK_THAT(e.error().message,
               Catch::Contains(fmt::format("source 127.0.0.1:{} stopped the binlog stream: "
                                           "ERROR 1236 (HY000): ",
                                           srv.port())));
    CHECK_THAT(e.error().message, Catch::Contains("purged"));
    INFO(e.error().message);
  });
}

TEST_CASE("protocol: a replica with the source's server_id is refused before registering") {
  mariadb_server srv;
  run_client([&]() -> asio::awaitable<void> {
    replication_client client(co_await asio::this_coro::executor);
    auto o = replica_of(srv, "");
    o.server_id = 1;
    auto info = co_await client.start(o);
    REQUIRE_FALSE(info);
    CHECK(info.error().code == errc::invalid_argument);
    CHECK_THAT(info.error().message, Catch::Contains("server_id 1, the same as ours"));
  });
}
