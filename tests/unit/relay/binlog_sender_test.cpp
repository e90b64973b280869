// Serves real binlogs, fed through a relay store, to simulated replicas: the stream is the
// artificial ROTATE, then the store's files byte for byte (minus the transactions the replica
// has), and the refusals are MySQL's / MariaDB's 1236 errors.

#include <catch2/catch.hpp>

#include "binlog/control_events.h"
#include "binlog/event_header.h"
#include "binlog/transaction_gtid.h"
#include "relay/binlog_sender.h"
#include "store_test_support.h"

using namespace binrelay;
using namespace binrelay::test;
using binlog::event_type;

namespace {

const char* mysql_fixture = "ChaosHour__go-parse/tests/mysql-bin.000012";
const char* mariadb_fixture = "Osso__mariadb-mysql-cdc/fixtures/mixed-binlog/mysql-bin.000001";

struct served_store {
  temp_dir dir;
  std::unique_ptr<relay::relay_store> store;
  explicit served_store(const char* fixture, std::uint64_t max_file_size) {
    auto o = small_store_options(dir.path);
    o.max_file_size = max_file_size;
    auto s = relay::relay_store::open(o);
    REQUIRE(s);
    store = std::move(*s);
    feed(*store, read_events(fixture_path(fixture)));
  }
};

event_list drain(relay::binlog_sender& sender) {
  event_list all;
  for (;;) {
    auto n = sender.next_events(all, 1 << 16);
    REQUIRE(n);
    if (*n == 0) return all;
  }
}

binlog::event_header header_of(const std::vector<std::uint8_t>& e) {
  auto h = binlog::decode_event_header(e);
  REQUIRE(h);
  return *h;
}

// The GTID texts of the transactions in `events`.
std::vector<std::string> gtids_in(const event_list& events, const relay::relay_store& store) {
  auto fde = relay::read_file_header(store.options().directory / store.files().front().name);
  REQUIRE(fde);
  std::vector<std::string> out;
  for (const auto& e : events) {
    auto h = header_of(e);
    std::size_t body = e.size() - binlog::event_header_size - fde->fde.checksum_length();
    auto g =
        binlog::gtid_of_event(h, bytes_view(e.data() + binlog::event_header_size, body), fde->fde);
    REQUIRE(g);
    if (!*g) continue;
    out.push_back((*g)->mariadb ? (*g)->mariadb_gtid.to_string()
                                : (*g)->sid.to_string() + ":" + std::to_string((*g)->gno));
  }
  return out;
}

relay::dump_request mysql_request(const gtid::gtid_set& have) {
  relay::dump_request r;
  r.how = relay::dump_request::mode::mysql_gtid;
  r.mysql_gtids = have;
  return r;
}

}  // namespace

TEST_CASE("a replica with no GTIDs gets an artificial rotate, then every store file byte for byte",
          "[binlog_sender]") {
  served_store s(mysql_fixture, 4096);
  REQUIRE(s.store->files().size() > 2);
  auto sender = relay::binlog_sender::start(*s.store, mysql_request({}), {.server_id = 9});
  REQUIRE(sender);
  event_list sent = drain(*sender);
  REQUIRE(!sent.empty());
  auto rotate = header_of(sent.front());
  CHECK(rotate.type == event_type::rotate);
  CHECK(rotate.flags == binlog::flag_artificial);
  CHECK(rotate.log_pos == 0);
  CHECK(rotate.timestamp == 0);
  CHECK(rotate.server_id == 9);
  auto stored = read_store(*s.store);
  REQUIRE(sent.size() == stored.size() + 1);
  for (std::size_t i = 0; i < stored.size(); ++i) CHECK(sent[i + 1] == stored[i].bytes);
  CHECK(sender->position() == s.store->end_position());
}

TEST_CASE(
    "transactions in the replica's GTID set are left out and the start file is the newest "
    "one the set covers",
    "[binlog_sender]") {
  served_store s(mysql_fixture, 4096);
  auto files = s.store->files();
  REQUIRE(files.size() > 2);
  gtid::gtid_set have = files[2].before.mysql;
  auto sender = relay::binlog_sender::start(*s.store, mysql_request(have), {});
  REQUIRE(sender);
  event_list sent = drain(*sender);
  auto fde = header_of(sent[1]);
  CHECK(fde.type == event_type::format_description);
  // The rotate names the start file.
  auto rotate_name = std::string(sent[0].begin() + 19 + 8, sent[0].end() - 4);
  CHECK(rotate_name == files[2].name);
  gtid::gtid_set expected = s.store->retrieved_gtids();
  expected.subtract(have);
  gtid::gtid_set got;
  for (const auto& text : gtids_in(sent, *s.store)) {
    auto one = gtid::gtid_set::parse(text);
    REQUIRE(one);
    CHECK_FALSE(one->is_subset_of(got));  // each transaction is sent once
    got.add(*one);
  }
  CHECK(got == expected);
}

TEST_CASE("a replica whose set misses purged transactions is refused with 1236",
          "[binlog_sender]") {
  served_store s(mysql_fixture, 4096);
  auto files = s.store->files();
  REQUIRE(s.store->purge_to(files[2].name));
  auto sender = relay::binlog_sender::start(*s.store, mysql_request({}), {});
  REQUIRE_FALSE(sender);
  CHECK(sender.error().server_errno == 1236);
  CHECK_THAT(sender.error().message,
             Catch::StartsWith("Cannot replicate because the source purged required binary logs."));
  CHECK_THAT(sender.error().message, Catch::Contains(files[2].before.mysql.to_string()));
}

TEST_CASE("a replica ahead of the relay for a known source uuid is refused with 1236",
          "[binlog_sender]") {
  served_store s(mysql_fixture, 1 << 30);
  gtid::gtid_set ahead = s.store->retrieved_gtids();
  const auto& e = ahead.entries().front();
  ahead.add(e.sid, e.intervals.back().end_exclusive + 5);
  auto sender = relay::binlog_sender::start(*s.store, mysql_request(ahead), {});
  REQUIRE_FALSE(sender);
  CHECK(sender.error().server_errno == 1236);
  CHECK_THAT(sender.error().message,
             Catch::StartsWith("Replica has more GTIDs than the source has"));
}

TEST_CASE("a MariaDB replica gets the transactions after its position per domain",
          "[binlog_sender]") {
  served_store s(mariadb_fixture, 1000);
  auto files = s.store->files();
  REQUIRE(files.size() > 2);
  relay::dump_request r;
  r.how = relay::dump_request::mode::mariadb_gtid;
  r.mariadb_gtids = files[1].before.position;
  auto sender = relay::binlog_sender::start(*s.store, r, {});
  REQUIRE(sender);
  event_list sent = drain(*sender);
  auto gtids = gtids_in(sent, *s.store);
  REQUIRE_FALSE(gtids.empty());
  for (const auto& text : gtids) {
    auto g = gtid::mariadb_gtid::parse(text);
    REQUIRE(g);
    const auto* have = r.mariadb_gtids.get(g->domain_id);
    if (have != nullptr) CHECK(g->seq_no > have->seq_no);
  }
  CHECK(sender->position() == s.store->end_position());
}

TEST_CASE("a MariaDB replica older than the oldest file is refused", "[binlog_sender]") {
  served_store s(mariadb_fixture, 1000);
  auto files = s.store->files();
  // The purged files hold transactions a replica with an empty position needs.
  REQUIRE_FALSE(files[2].before.position.empty());
  REQUIRE(s.store->purge_to(files[2].name));
  relay::dump_request r;
  r.how = relay::dump_request::mode::mariadb_gtid;
  auto sender = relay::binlog_sender::start(*s.store, r, {});
  REQUIRE_FALSE(sender);
  CHECK(sender.error().server_errno == 1236);
  CHECK_THAT(sender.error().message,
             Catch::StartsWith("Could not find GTID state requested by slave in any binlog files"));
}

TEST_CASE("a file/position dump starts at the named file and offset", "[binlog_sender]") {
  served_store s(mysql_fixture, 4096);
  auto stored = read_store(*s.store);
  auto files = s.store->files();
  relay::dump_request r;
  r.file = files[1].name;
  auto it = std::find_if(stored.begin(), stored.end(), [&](const stored_event& e) {
    return e.file == files[1].name && e.offset > 200;
  });
  REQUIRE(it != stored.end());
  r.position = it->offset;
  auto sender = relay::binlog_sender::start(*s.store, r, {});
  REQUIRE(sender);
  event_list sent = drain(*sender);
  CHECK(header_of(sent[1]).type == event_type::format_description);
  std::size_t rest = std::size_t(stored.end() - it);
  REQUIRE(sent.size() == rest + 2);
  for (std::size_t i = 0; i < rest; ++i) CHECK(sent[i + 2] == it[std::ptrdiff_t(i)].bytes);

  r.file = "relay-bin.999999";
  auto missing = relay::binlog_sender::start(*s.store, r, {});
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message == "Could not find first log file name in binary log index file");
}

TEST_CASE("a heartbeat names the current file and offset", "[binlog_sender]") {
  served_store s(mysql_fixture, 1 << 30);
  auto sender = relay::binlog_sender::start(*s.store, mysql_request({}), {.server_id = 5});
  REQUIRE(sender);
  drain(*sender);
  auto hb = sender->heartbeat();
  auto h = header_of(hb);
  CHECK(h.type == event_type::heartbeat);
  CHECK(h.log_pos == s.store->end_position().offset);
  CHECK(std::string(hb.begin() + 19, hb.end() - 4) == s.store->end_position().file);
}
