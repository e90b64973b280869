// dump_reader: a light replica for the fan-out benchmark (bench/fanout.sh). It connects with
// binrelay's replication client (src/protocol/replication_client.h: the MariaDB / MySQL
// replica connect sequence, COM_REGISTER_SLAVE), requests a binlog dump — file/position by
// default, as mariadb-binlog --read-from-remote-server does, or from a MariaDB GTID position —
// with BINLOG_DUMP_NON_BLOCK, reads to the end of the log, counts the events and their bytes,
// and discards them. Prints one line: `bytes B events E seconds S cpu C` (bytes: the events'
// sizes; seconds: wall time from connecting to the end; cpu: this process's user+sys).
//
// The same client reads the MariaDB primary and binrelayd, and costs little CPU next to the
// servers it measures (events are views into the connection's buffer, handed out without a
// coroutine frame each; 1 MiB socket reads).

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <CLI/CLI.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>

#include "protocol/replication_client.h"
#include "protocol/replication_commands.h"

namespace asio = boost::asio;
using namespace binrelay;

namespace {

struct tally {
  std::uint64_t bytes = 0;
  std::uint64_t events = 0;
};

asio::awaitable<result<tally>> read_stream(protocol::replication_options options) {
  protocol::replication_client client(co_await asio::this_coro::executor);
  auto started = co_await client.start(options);
  if (!started) co_return started.error();
  tally t;
  for (;;) {
    auto n = co_await client.read_event_views(
        [&](const protocol::stream_packet& p) { t.bytes += p.event.size(); });
    if (!n) co_return n.error();
    if (*n == 0) co_return t;
    t.events += *n;
  }
}

asio::awaitable<void> read_all(protocol::replication_options options, result<tally>& out) {
  out = co_await read_stream(std::move(options));
}

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto s = [](const timeval& t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
  return s(u.ru_utime) + s(u.ru_stime);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"dump_reader: reads a binlog dump to its end and counts it"};
  protocol::replication_options o;
  std::string password_env = "BINRELAY_REPL_PASSWORD";
  app.add_option("--host", o.connection.host, "source host")->capture_default_str();
  app.add_option("--port", o.connection.port, "source port")->required();
  app.add_option("--user", o.connection.user, "replication user")->required();
  app.add_option("--password-env", password_env, "environment variable holding the password")
      ->capture_default_str();
  app.add_option("--server-id", o.server_id, "our server_id (unique per reader)")->required();
  app.add_option("--file", o.dump_file, "file/position dump from this file");
  app.add_option("--position", o.dump_position, "start offset in --file")->capture_default_str();
  app.add_option("--gtid", o.mariadb_connect_state,
                 "MariaDB GTID dump after this position (without --file)");
  CLI11_PARSE(app, argc, argv);
  if (o.dump_file.empty() && o.mariadb_connect_state.empty()) {
    std::fprintf(stderr, "dump_reader: give --file or --gtid\n");
    return 2;
  }
  if (const char* pw = std::getenv(password_env.c_str())) o.connection.password = pw;
  o.heartbeat_period = std::chrono::milliseconds(0);
  // Ask for ANNOTATE_ROWS events as MariaDB replicas do (replicate_annotate_row_events, on by
  // default): a MariaDB primary leaves them out otherwise. binrelayd always sends them and
  // reads this bit only in MySQL GTID dumps (heartbeat v2).
  o.dump_flags = protocol::dump_flag::non_block | protocol::dump_flag::mariadb_send_annotate_rows;

  asio::io_context io;
  result<tally> outcome = make_error(errc::io_error, "not run");
  auto t0 = std::chrono::steady_clock::now();
  asio::co_spawn(io, read_all(o, outcome), [](std::exception_ptr e) {
    if (e) std::rethrow_exception(e);
  });
  io.run();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!outcome) {
    std::fprintf(stderr, "dump_reader: %s\n", outcome.error().message.c_str());
    return 1;
  }
  std::printf("bytes %llu events %llu seconds %.3f cpu %.3f\n", (unsigned long long)outcome->bytes,
              (unsigned long long)outcome->events, seconds, cpu_seconds());
  return 0;
}
