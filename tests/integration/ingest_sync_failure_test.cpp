// The upstream session (in process) against a real MariaDB primary when the relay log cannot
// be made durable: the failed fdatasync shows in SHOW SLAVE STATUS's Last_IO_Errno/Error,
// nothing stored is lost, and a reopened store resumes where the stored data ends.

#include <catch2/catch.hpp>

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "integration/relay_harness.h"
#include "relay/relay_store.h"
#include "relay/upstream_session.h"

using namespace binrelay;
using namespace binrelay::test;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {

template <class F>
bool wait_until(F done, std::chrono::seconds timeout = 60s) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

// One upstream session on its own thread until destroyed.
class running_session {
 public:
  running_session(const mariadb_server& primary, relay::relay_store& store,
                  relay::upstream_status& status)
      : session_(io_.get_executor(), config(primary), store, status) {
    asio::co_spawn(io_, session_.run(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~running_session() {
    asio::post(io_, [this] { session_.stop(); });
    thread_.join();
  }

 private:
  static relay::upstream_config config(const mariadb_server& primary) {
    relay::upstream_config c;
    c.endpoints = {{"127.0.0.1", primary.port()}};
    c.user = mariadb_server::user;
    c.password = mariadb_server::password;
    c.server_id = 4242;
    c.heartbeat_period = 200ms;
    c.retry_initial = 100ms;
    c.retry_max = 400ms;
    return c;
  }

  asio::io_context io_;
  relay::upstream_session session_;
  std::thread thread_;
};

}  // namespace

TEST_CASE("ingest: a failed relay log fdatasync is Last_IO_Errno 1595 and loses nothing stored") {
  mariadb_server primary;
  write_rows(primary, 0, 20);
  temp_dir dir;
  std::atomic<bool> failing{false};
  relay::store_options options;
  options.directory = dir.path();
  options.server_id = 4242;
  options.sync = {relay::sync_mode::interval, 20ms, [&](int fd) {
                    if (!failing) return ::fdatasync(fd);
                    errno = EIO;
                    return -1;
                  }};
  auto store = relay::relay_store::open(options);
  REQUIRE(store);
  auto retrieved = [](relay::relay_store& s) { return s.retrieved_position().to_string(); };
  relay::upstream_status status;
  std::string stored;
  {
    running_session session(primary, **store, status);
    const std::string first = primary.scalar("SELECT @@gtid_binlog_pos");
    REQUIRE(wait_until([&] { return retrieved(**store) == first; }));
    failing = true;
    write_rows(primary, 20, 25);  // makes the file dirty for the failing background sync
    REQUIRE(wait_until([&] { return status.snapshot().last_io_errno == 1595; }));
    auto s = status.snapshot();
    CHECK_THAT(s.last_io_error, Catch::StartsWith("Relay log write failure: "));
    CHECK_THAT(s.last_io_error, Catch::Contains("relay-bin.000001: fdatasync failed"));
    CHECK_THAT(s.last_io_error, Catch::Contains("Input/output error (errno 5)"));
    stored = retrieved(**store);
    // The session keeps retrying (heartbeats every 200 ms); the store refuses everything.
    write_rows(primary, 25, 30);
    std::this_thread::sleep_for(1s);
    CHECK(retrieved(**store) == stored);
    CHECK(status.snapshot().last_io_errno == 1595);
  }

  failing = false;
  store->reset();
  auto reopened = relay::relay_store::open(options);
  REQUIRE(reopened);
  CHECK(retrieved(**reopened) == stored);  // what was stored before the failure is all there
  relay::upstream_status fresh;
  running_session session(primary, **reopened, fresh);
  const std::string last = primary.scalar("SELECT @@gtid_binlog_pos");
  CHECK(wait_until([&] { return retrieved(**reopened) == last; }));
  CHECK(fresh.snapshot().last_io_errno == 0);
}
