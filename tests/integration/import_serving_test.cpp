// Stores built by binrelay-import's logic from real binlogs, served in-process by the listener
// and the replica session: a MySQL 8.0.26+ replica (our replication_client, MySQL flavour)
// with a partial GTID set receives exactly the missing transactions, byte for byte; the 1236
// refusals carry MySQL's texts; heartbeats are v2 when asked; and mariadb-binlog
// --read-from-remote-server --raw writes back the imported files byte for byte.

#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <functional>
#include <thread>

#include <fmt/ranges.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>

#include "binlog/event_header.h"
#include "binlog/event_type.h"
#include "binlog/file_reader.h"
#include "protocol/replication_client.h"
#include "protocol/replication_commands.h"
#include "protocol/server_listener.h"
#include "protocol_support.h"
#include "relay/replica_session.h"
#include "relay/store_import.h"
#include "support/fixtures.h"
#include "support/mariadb_server.h"
#include "support/processes.h"

using namespace binrelay;
namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {

const std::string std_data = "enhancedformysql__mysql-8.0.40/mysql-test/std_data/";
const std::string mysql80_uuid = "2d6e8214-9918-11ec-ac13-0010e0dc39c0";
const std::string serving_uuid = "5e1f0a1e-0000-4000-8000-00000000b1b1";
constexpr const char* repl_user = "repl";
constexpr const char* repl_password = "Repl-pw1";

fs::path fixture(const std::string& name) {
  return test::fixtures_dir() / name;
}

std::vector<fs::path> fixture_paths(const std::vector<std::string>& names) {
  std::vector<fs::path> out;
  for (const auto& n : names) out.push_back(fixture(n));
  return out;
}

// An imported store served by a listener + replica sessions on their own thread.
class served_import {
 public:
  served_import(std::vector<fs::path> inputs, std::string version)
      : context_(server_options(version)) {
    relay::import_options o;
    o.directory = dir_.path();
    o.inputs = std::move(inputs);
    auto report = relay::import_binlogs(o);
    INFO((report ? std::string() : report.error().describe()));
    REQUIRE(report);
    report_ = *report;
    relay::store_options so;
    so.directory = dir_.path();
    so.basename = report_.basename;
    auto store = relay::relay_store::open(so);
    REQUIRE(store);
    store_ = std::move(*store);
    serve_.identity = {100, serving_uuid, version, "binrelay"};
    listener_ = std::make_unique<protocol::server_listener>(
        io_.get_executor(), protocol::listener_options{}, context_,
        [this](protocol::server_connection& c) {
          return relay::run_replica_session(c, *store_, serve_);
        });
    asio::co_spawn(io_, listener_->run(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~served_import() {
    asio::post(io_, [this] { listener_->stop(); });
    thread_.join();
  }
  std::uint16_t port() const { return listener_->port(); }
  const fs::path& dir() const { return dir_.path(); }
  const relay::import_report& report() const { return report_; }

 private:
  static protocol::server_options server_options(const std::string& version) {
    protocol::server_options o;
    o.server_version = version;
    o.default_auth_plugin = "mysql_native_password";
    o.accounts = {{repl_user, repl_password, "mysql_native_password"}};
    return o;
  }

  test::temp_dir dir_;  // declared first: removed last
  relay::import_report report_;
  std::unique_ptr<relay::relay_store> store_;
  relay::serve_options serve_;
  asio::io_context io_;
  protocol::server_context context_;
  std::unique_ptr<protocol::server_listener> listener_;
  std::thread thread_;
};

struct file_event {
  std::uint64_t offset = 0;
  std::vector<std::uint8_t> bytes;
};

std::vector<file_event> events_of(const fs::path& path) {
  auto r = binlog::file_reader::open(path);
  REQUIRE(r);
  std::vector<file_event> out;
  while (true) {
    auto e = r->next();
    REQUIRE(e);
    if (!*e) return out;
    out.push_back({(*e)->offset, {(*e)->bytes.begin(), (*e)->bytes.end()}});
  }
}

binlog::event_header header_of(const std::vector<std::uint8_t>& e) {
  auto h = binlog::decode_event_header(e);
  REQUIRE(h);
  return *h;
}

protocol::replication_options replica_options(std::uint16_t port) {
  protocol::replication_options o;
  o.connection.host = "127.0.0.1";
  o.connection.port = port;
  o.connection.user = repl_user;
  o.connection.password = repl_password;
  o.connection.connect_timeout = std::chrono::milliseconds(5000);
  o.connection.read_timeout = std::chrono::milliseconds(10000);
  o.server_id = 200;
  o.replica_uuid = "0ddba11a-0000-4000-8000-000000000200";
  o.heartbeat_period = std::chrono::milliseconds(100);
  return o;
}

protocol::replication_options mysql_replica(std::uint16_t port, const std::string& gtids,
                                            std::uint16_t flags) {
  auto o = replica_options(port);
  o.dump_flags = flags;
  auto set = gtid::gtid_set::parse(gtids);
  REQUIRE(set);
  set->encode_binary(o.mysql_gtid_set);
  return o;
}

struct dump_outcome {
  protocol::replication_session_info info;
  std::vector<std::vector<std::uint8_t>> events;
  std::optional<binrelay::error> error;
};

using stop_after = std::function<bool(const std::vector<std::uint8_t>&)>;

// Runs the replica connect sequence of the served flavour and reads events to EOF, an error,
// or the first event `stop` accepts.
dump_outcome replica_dump(const protocol::replication_options& o, stop_after stop = nullptr) {
  dump_outcome out;
  test::run_client([&]() -> asio::awaitable<void> {
    protocol::replication_client client(co_await asio::this_coro::executor);
    auto info = co_await client.start(o);
    if (!info) {
      out.error = info.error();
      co_return;
    }
    out.info = *info;
    while (true) {
      auto e = co_await client.read_event();
      if (!e) {
        out.error = e.error();
        co_return;
      }
      if (!*e) co_return;
      out.events.push_back(std::move((*e)->bytes));
      if (stop && stop(out.events.back())) co_return;
    }
  });
  return out;
}

bool is_artificial(const std::vector<std::uint8_t>& e) {
  return (header_of(e).flags & binlog::flag_artificial) != 0;
}

// The events of `dump` other than artificial ROTATEs, and the file names those ROTATEs give.
void split_artificial(const dump_outcome& dump, std::vector<std::vector<std::uint8_t>>& events,
                      std::vector<std::string>& rotated_to) {
  for (const auto& e : dump.events) {
    if (!is_artificial(e)) {
      events.push_back(e);
      continue;
    }
    CHECK(header_of(e).type == binlog::event_type::rotate);
    rotated_to.emplace_back(e.begin() + binlog::event_header_size + 8, e.end() - 4);
  }
}

// The events of `path` whose offset is outside [skip_begin, skip_end), appended to `out`.
void append_events(const fs::path& path, std::vector<std::vector<std::uint8_t>>& out,
                   std::uint64_t skip_begin = 0, std::uint64_t skip_end = 0) {
  for (const auto& e : events_of(path)) {
    if (e.offset < skip_begin || e.offset >= skip_end) out.push_back(e.bytes);
  }
}

void check_same_events(const std::vector<std::vector<std::uint8_t>>& received,
                       const std::vector<std::vector<std::uint8_t>>& expected) {
  REQUIRE(received.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO("event " << i);
    CHECK(received[i] == expected[i]);
  }
}

}  // namespace

TEST_CASE(
    "import serving: a MySQL 8.0.26+ replica with a partial GTID set gets exactly the "
    "missing transactions, byte for byte",
    "[import]") {
  served_import served(
      fixture_paths({std_data + "replicated-bin.000001", std_data + "replicated-bin.000002"}),
      "8.0.36-binrelay");
  auto dump = replica_dump(
      mysql_replica(served.port(), mysql80_uuid + ":1-3",
                    protocol::dump_flag::non_block | protocol::dump_flag::heartbeat_v2));
  INFO((dump.error ? dump.error->describe() : std::string()));
  REQUIRE_FALSE(dump.error);
  CHECK(dump.info.flavour == protocol::server_flavour::mysql);
  CHECK(dump.info.source_uuid == serving_uuid);
  CHECK(dump.info.checksum == protocol::binlog_checksum::crc32);

  // Expected: both files minus transactions 1-3 (offsets 157..1024 of the first file), then the
  // header events of the store's continuation file.
  std::vector<std::vector<std::uint8_t>> expected, received;
  append_events(fixture(std_data + "replicated-bin.000001"), expected, 157, 1024);
  append_events(fixture(std_data + "replicated-bin.000002"), expected);
  append_events(served.dir() / "replicated-bin.000003", expected);
  std::vector<std::string> rotated_to;
  split_artificial(dump, received, rotated_to);
  CHECK(rotated_to == std::vector<std::string>{"replicated-bin.000001", "replicated-bin.000003"});
  check_same_events(received, expected);
}

TEST_CASE(
    "import serving: a MariaDB replica's GTID dump of an imported store gets exactly the "
    "transactions after its position, byte for byte",
    "[import]") {
  const std::string osso = "Osso__mariadb-mysql-cdc/fixtures/mixed-binlog/";
  served_import served(fixture_paths({osso + "mysql-bin.000001", osso + "mysql-bin.000002"}),
                       "10.11.6-MariaDB-binrelay");
  auto o = replica_options(served.port());
  o.mariadb_connect_state = "0-17-5";
  o.dump_flags = protocol::dump_flag::non_block;
  auto dump = replica_dump(o);
  INFO((dump.error ? dump.error->describe() : std::string()));
  REQUIRE_FALSE(dump.error);
  CHECK(dump.info.flavour == protocol::server_flavour::mariadb);
  // GTIDs 0-17-1 .. 0-17-5 are offsets 328..1661 of the first file.
  std::vector<std::vector<std::uint8_t>> expected, received;
  append_events(fixture(osso + "mysql-bin.000001"), expected, 328, 1661);
  append_events(served.dir() / "mysql-bin.000002", expected);  // in-use flag cleared
  append_events(served.dir() / "mysql-bin.000003", expected);
  std::vector<std::string> rotated_to;
  split_artificial(dump, received, rotated_to);
  CHECK(rotated_to == std::vector<std::string>{"mysql-bin.000001", "mysql-bin.000003"});
  // Like a MariaDB primary, the sender announces the start position with a GTID_LIST of its
  // own (server_id 100) before the first transaction it sends.
  auto announced = std::find_if(received.begin(), received.end(), [](const auto& e) {
    return header_of(e).type == binlog::event_type::mariadb_gtid_list &&
           header_of(e).server_id == 100;
  });
  REQUIRE(announced != received.end());
  received.erase(announced);
  check_same_events(received, expected);

  o.mariadb_connect_state = "0-17-11";
  auto ahead = replica_dump(o);
  REQUIRE(ahead.error);
  CHECK(ahead.error->server_errno == 1236);
  CHECK_THAT(ahead.error->message,
             Catch::Contains("connecting slave requested to start from GTID 0-17-11, which is "
                             "not in the master's binlog"));
}

TEST_CASE("import serving: idle MySQL replicas get heartbeats, v2 when they set dump flag 0x02",
          "[import]") {
  served_import served(
      fixture_paths({std_data + "replicated-bin.000001", std_data + "replicated-bin.000002"}),
      "8.0.36-binrelay");
  auto is_heartbeat = [](const std::vector<std::uint8_t>& e) {
    auto t = header_of(e).type;
    return t == binlog::event_type::heartbeat || t == binlog::event_type::heartbeat_v2;
  };
  for (std::uint16_t flags : {std::uint16_t(protocol::dump_flag::heartbeat_v2), std::uint16_t(0)}) {
    auto dump =
        replica_dump(mysql_replica(served.port(), mysql80_uuid + ":1-9", flags), is_heartbeat);
    INFO("dump flags " << flags << (dump.error ? dump.error->describe() : std::string()));
    REQUIRE_FALSE(dump.error);
    // The replica has everything: the dump starts in the continuation file (artificial
    // rotate, Format_desc, Previous_gtids), then the replica idles.
    std::vector<std::string> types;
    for (const auto& e : dump.events)
      types.emplace_back(binlog::event_type_name(header_of(e).type));
    INFO(fmt::format("{}", fmt::join(types, " ")));
    REQUIRE(dump.events.size() == 4);
    const auto& hb = dump.events.back();
    CHECK(header_of(hb).type ==
          (flags ? binlog::event_type::heartbeat_v2 : binlog::event_type::heartbeat));
    std::string text(hb.begin(), hb.end());
    CHECK_THAT(text, Catch::Contains("replicated-bin.000003"));
    CHECK(header_of(hb).timestamp == 0);
    if (flags == 0) CHECK(header_of(hb).log_pos == 197);
  }
}

TEST_CASE(
    "import serving: MySQL's 1236 texts for a replica ahead of the source and for purged "
    "GTIDs",
    "[import]") {
  served_import served(
      fixture_paths({std_data + "replicated-bin.000001", std_data + "replicated-bin.000002"}),
      "8.0.36-binrelay");
  auto ahead = replica_dump(
      mysql_replica(served.port(), mysql80_uuid + ":1-12", protocol::dump_flag::non_block));
  REQUIRE(ahead.error);
  CHECK(ahead.error->server_errno == 1236);
  CHECK_THAT(ahead.error->message,
             Catch::Contains("ERROR 1236 (HY000): Replica has more GTIDs than the source has, "
                             "using the source's SERVER_UUID."));

  const std::string purged_uuid = "83759871-1141-11ed-b12d-0242ac130003";
  served_import later(
      fixture_paths({"zendesk__maxwell/src/test/resources/sql/replay/binlog.000004"}),
      "8.0.36-binrelay");
  auto purged = replica_dump(
      mysql_replica(later.port(), purged_uuid + ":1-2", protocol::dump_flag::non_block));
  REQUIRE(purged.error);
  CHECK(purged.error->server_errno == 1236);
  CHECK_THAT(
      purged.error->message,
      Catch::Contains("Cannot replicate because the source purged required binary logs.") &&
          Catch::Contains("The GTID set sent by the replica is '" + purged_uuid +
                          ":1-2', and the missing transactions are '" + purged_uuid + ":3-5'"));
  auto whole = replica_dump(
      mysql_replica(later.port(), purged_uuid + ":1-5", protocol::dump_flag::non_block));
  INFO((whole.error ? whole.error->describe() : std::string()));
  CHECK_FALSE(whole.error);
}

namespace {

// Runs mariadb-binlog --read-from-remote-server --raw (a file/position dump from the first file
// to the end of the log) and returns its exit status; the files land in `out`.
int remote_raw_dump(const served_import& served, const std::string& first_file, const fs::path& out,
                    std::string& log) {
  test::child_process p(
      {"mariadb-binlog", "--no-defaults", "--read-from-remote-server", "--raw", "--host=127.0.0.1",
       "--port=" + std::to_string(served.port()), std::string("--user=") + repl_user,
       std::string("--password=") + repl_password, "--to-last-log",
       "--result-file=" + out.string() + "/", first_file},
      out / "mariadb-binlog.log");
  int status = p.wait();
  log = p.log();
  return status;
}

// `copy` is `source` with at most the Format_desc's LOG_EVENT_BINLOG_IN_USE_F cleared.
void check_same_but_in_use_flag(const fs::path& copy, const fs::path& source) {
  INFO(copy.filename().string());
  REQUIRE(fs::exists(copy));
  auto a = test::read_file(copy);
  auto b = test::read_file(source);
  REQUIRE(a.size() == b.size());
  REQUIRE(a.size() > 21);
  CHECK(a[21] == (b[21] & 0xfe));
  a[21] = b[21];
  CHECK(a == b);
}

}  // namespace

TEST_CASE(
    "import serving: mariadb-binlog --read-from-remote-server --raw writes back the "
    "imported files byte for byte",
    "[import]") {
  struct import_case {
    std::vector<std::string> fixtures;
    std::string version;
  };
  const std::string osso = "Osso__mariadb-mysql-cdc/fixtures/mixed-binlog/";
  auto c = GENERATE_COPY(
      import_case{{osso + "mysql-bin.000001", osso + "mysql-bin.000002"},
                  "10.11.6-MariaDB-binrelay"},
      // mariadb-binlog refuses servers whose version starts with 8 ("unrecognized MariaDB
      // version"), whatever they send; announcing 5.7 lets it read the MySQL 8.0 files.
      import_case{{std_data + "replicated-bin.000001", std_data + "replicated-bin.000002"},
                  "5.7.44-binrelay"});
  served_import served(fixture_paths(c.fixtures), c.version);
  test::temp_dir out;
  std::string log;
  int status = remote_raw_dump(served, served.report().files.front().name, out.path(), log);
  INFO(log);
  REQUIRE(status == 0);
  std::string listing;
  for (const auto& e : fs::directory_iterator(out.path())) {
    listing += e.path().filename().string() + " " + std::to_string(e.file_size()) + "\n";
  }
  INFO(listing);
  for (const auto& f : c.fixtures) {
    fs::path source = fixture(f);
    check_same_but_in_use_flag(out.path() / source.filename(), source);
  }
  check_same_but_in_use_flag(out.path() / served.report().continuation,
                             served.dir() / served.report().continuation);
}

namespace {

// A primary's workload, with a rotation in the middle so the import has several files.
void write_workload(const test::mariadb_server& primary) {
  primary.query(
      "CREATE DATABASE shop; CREATE TABLE shop.orders (id INT PRIMARY KEY "
      "AUTO_INCREMENT, item VARCHAR(64), qty INT) ENGINE=InnoDB");
  for (int round = 0; round < 2; ++round) {
    std::string sql;
    for (int i = 0; i < 200; ++i) {
      sql += fmt::format("INSERT INTO shop.orders (item, qty) VALUES ('item-{}-{}', {});", round, i,
                         i);
    }
    sql +=
        "UPDATE shop.orders SET qty = qty + 1 WHERE id % 3 = 0; DELETE FROM shop.orders "
        "WHERE id % 7 = 0;";
    primary.query(sql);
    if (round == 0) primary.query("FLUSH BINARY LOGS");
  }
}

}  // namespace

TEST_CASE(
    "import serving: a MariaDB replica replicates from binlogs copied off a stopped "
    "primary",
    "[import]") {
  test::mariadb_server primary;
  write_workload(primary);
  std::string checksum = primary.rows("CHECKSUM TABLE shop.orders").at(0).at(1);
  std::string position = primary.scalar("SELECT @@gtid_binlog_pos");
  auto binlogs = primary.binlog_files();
  primary.stop();
  REQUIRE(binlogs.size() >= 2);

  served_import served(binlogs, "10.11.6-MariaDB-binrelay");
  CHECK(served.report().retrieved.to_string() == position);
  test::mariadb_server replica({.server_id = 3, .log_bin = false, .extra_args = {}});
  replica.query(
      fmt::format("CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT={}, "
                  "MASTER_USER='{}', MASTER_PASSWORD='{}', MASTER_USE_GTID=slave_pos; "
                  "START SLAVE",
                  served.port(), repl_user, repl_password));
  std::string at;
  for (int i = 0; i < 600 && at != position; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    at = replica.scalar("SELECT @@gtid_slave_pos");
  }
  INFO(replica.query("SHOW SLAVE STATUS\\G"));
  REQUIRE(at == position);
  CHECK(replica.rows("CHECKSUM TABLE shop.orders").at(0).at(1) == checksum);
}
