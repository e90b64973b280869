// binrelay-import's logic on real binlogs: stored files are the input files byte for byte
// (apart from the documented changes), the store reopens without recovery and with the right
// per-file GTID index, and inputs that are not one log, are corrupt, truncated or too old are
// refused with the file and offset named, before anything is written.

#include <catch2/catch.hpp>

#include <fstream>

#include "binlog/file_reader.h"
#include "relay/binlog_sender.h"
#include "relay/dump_start.h"
#include "relay/relay_index.h"
#include "relay/relay_store.h"
#include "relay/store_import.h"
#include "store_test_support.h"
#include "support/fixtures.h"

using namespace binrelay;
using namespace binrelay::test;
namespace fs = std::filesystem;

namespace {

const std::string mysql80_1 =
    "enhancedformysql__mysql-8.0.40/mysql-test/std_data/replicated-bin.000001";
const std::string mysql80_2 =
    "enhancedformysql__mysql-8.0.40/mysql-test/std_data/replicated-bin.000002";
const std::string mariadb_1 = "Osso__mariadb-mysql-cdc/fixtures/mixed-binlog/mysql-bin.000001";
const std::string mariadb_2 = "Osso__mariadb-mysql-cdc/fixtures/mixed-binlog/mysql-bin.000002";
const std::string mysql80_uuid = "2d6e8214-9918-11ec-ac13-0010e0dc39c0";

relay::import_options import_of(const fs::path& dir, std::vector<std::string> fixtures,
                                std::string basename = "") {
  relay::import_options o;
  o.directory = dir;
  o.basename = std::move(basename);
  for (const auto& f : fixtures) o.inputs.push_back(fixture_path(f));
  return o;
}

relay::import_report import_ok(const relay::import_options& o) {
  auto r = relay::import_binlogs(o);
  INFO((r ? std::string() : r.error().describe()));
  REQUIRE(r);
  return *r;
}

std::unique_ptr<relay::relay_store> open_store(const fs::path& dir, const std::string& basename) {
  auto o = small_store_options(dir);
  o.basename = basename;
  auto s = relay::relay_store::open(o);
  REQUIRE(s);
  return std::move(*s);
}

gtid::gtid_set gtids(const std::string& text) {
  auto s = gtid::gtid_set::parse(text);
  REQUIRE(s);
  return *s;
}

relay::dump_request mysql_request(const std::string& set) {
  relay::dump_request r;
  r.how = relay::dump_request::mode::mysql_gtid;
  r.mysql_gtids = gtids(set);
  return r;
}

// The imported MySQL 8.0 pair, opened as binrelayd opens it.
struct imported_mysql80 {
  temp_dir dir;
  std::unique_ptr<relay::relay_store> store;
  imported_mysql80() {
    import_ok(import_of(dir.path, {mysql80_1, mysql80_2}));
    store = open_store(dir.path, "replicated-bin");
  }
};

std::vector<std::uint8_t> cut_copy(const std::string& fixture, std::uint64_t size,
                                   const fs::path& to) {
  auto bytes = read_file(fixture_path(fixture));
  bytes.resize(size);
  std::ofstream(to, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
  return bytes;
}

// The stored file is the source with at most the Format_desc's in-use flag cleared.
bool same_but_in_use_flag(const fs::path& stored, const std::string& source) {
  auto a = read_file(stored);
  auto b = read_file(fixture_path(source));
  if (a.size() != b.size() || a.size() < 22 || a[21] != (b[21] & 0xfe)) return false;
  a[21] = b[21];
  return a == b;
}

bool has_index(const fs::path& dir) {
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".index") return true;
  }
  return false;
}

}  // namespace

TEST_CASE("store_import: MySQL 8.0 files are stored byte for byte with their GTID index") {
  temp_dir dir;
  auto report = import_ok(import_of(dir.path, {mysql80_1, mysql80_2}));
  CHECK(report.basename == "replicated-bin");
  REQUIRE(report.files.size() == 2);
  CHECK(report.files[0].name == "replicated-bin.000001");
  CHECK(report.files[1].name == "replicated-bin.000002");
  CHECK(report.files[0].changes.empty());
  CHECK(report.files[1].transactions == 4);
  // replicated-bin.000002 ends with STOP: the store continues in a new file.
  CHECK(report.continuation == "replicated-bin.000003");
  CHECK(read_file(dir.path / "replicated-bin.000001") == read_file(fixture_path(mysql80_1)));
  CHECK(read_file(dir.path / "replicated-bin.000002") == read_file(fixture_path(mysql80_2)));

  auto store = open_store(dir.path, "replicated-bin");
  auto files = store->files();
  REQUIRE(files.size() == 3);
  CHECK(files[0].before.mysql.empty());
  CHECK(files[1].before.mysql == gtids(mysql80_uuid + ":1-5"));
  CHECK(files[2].before.mysql == gtids(mysql80_uuid + ":1-9"));
  CHECK(store->retrieved_gtids() == gtids(mysql80_uuid + ":1-9"));
  CHECK(read_file(dir.path / "replicated-bin.000002") == read_file(fixture_path(mysql80_2)));
}

TEST_CASE("store_import: a GTID dump starts in the file that holds the first missing GTID") {
  imported_mysql80 imported;
  const auto& store = imported.store;
  auto start = relay::find_dump_start(store->files(), store->retrieved(),
                                      mysql_request(mysql80_uuid + ":1-3"));
  REQUIRE(start);
  CHECK(start->file == "replicated-bin.000001");
  start = relay::find_dump_start(store->files(), store->retrieved(),
                                 mysql_request(mysql80_uuid + ":1-7"));
  REQUIRE(start);
  CHECK(start->file == "replicated-bin.000002");
}

TEST_CASE("store_import: MariaDB files keep their bytes and GTID_LIST positions") {
  temp_dir dir;
  auto report = import_ok(import_of(dir.path, {mariadb_1, mariadb_2}));
  CHECK(report.basename == "mysql-bin");
  // mysql-bin.000002 ends with BINLOG_CHECKPOINT events after its header.
  CHECK(report.continuation == "mysql-bin.000003");
  CHECK(read_file(dir.path / "mysql-bin.000001") == read_file(fixture_path(mariadb_1)));
  CHECK(same_but_in_use_flag(dir.path / "mysql-bin.000002", mariadb_2));  // copied while in use
  CHECK(report.files[1].changes.size() == 1);
  auto store = open_store(dir.path, "mysql-bin");
  CHECK(store->retrieved_position().to_string() == "0-17-10");
  auto files = store->files();
  REQUIRE(files.size() == 3);
  CHECK(files[1].before.position.to_string() == "0-17-10");
}

TEST_CASE("store_import: the in-use flag of a copied active binlog is cleared, its CRC32 holds") {
  temp_dir dir;
  const std::string in_use = "EasyPost__rust-mysql-binlog/test_data/bin-log.000001";
  auto report = import_ok(import_of(dir.path, {in_use}));
  REQUIRE(report.files.size() == 1);
  REQUIRE(report.files[0].changes.size() == 1);
  CHECK_THAT(report.files[0].changes[0], Catch::Contains("LOG_EVENT_BINLOG_IN_USE_F cleared"));
  CHECK(report.continuation.empty());  // the store appends to the imported file
  auto source = read_file(fixture_path(in_use));
  auto stored = read_file(dir.path / "bin-log.000001");
  REQUIRE(stored.size() == source.size());
  CHECK(stored[21] == (source[21] & 0xfe));
  stored[21] = source[21];
  CHECK(stored == source);
  CHECK(read_events(dir.path / "bin-log.000001").size() == 14);  // every CRC32 verifies
}

TEST_CASE("store_import: another relay log name renames files and their closing Rotate") {
  temp_dir dir;
  auto report = import_ok(import_of(dir.path, {mysql80_1, mysql80_2}, "relay-bin"));
  CHECK(report.files[0].name == "relay-bin.000001");
  CHECK(report.files[1].name == "relay-bin.000002");
  REQUIRE(report.files[0].changes.size() == 1);
  CHECK_THAT(report.files[0].changes[0],
             Catch::Contains("from replicated-bin.000002 to relay-bin.000002"));
  auto events = read_events(dir.path / "relay-bin.000001");
  auto source = read_events(fixture_path(mysql80_1));
  REQUIRE(events.size() == source.size());
  for (std::size_t i = 0; i + 1 < events.size(); ++i) CHECK(events[i] == source[i]);
  auto rotate = binlog::decode_event_header(events.back());
  REQUIRE(rotate);
  CHECK(rotate->type == binlog::event_type::rotate);
  CHECK(fs::file_size(dir.path / "relay-bin.000001") == rotate->log_pos);
  auto store = open_store(dir.path, "relay-bin");
  CHECK(store->retrieved_gtids() == gtids(mysql80_uuid + ":1-9"));
}

TEST_CASE("store_import: files are imported one at a time as they are copied") {
  temp_dir dir;
  auto first = import_ok(import_of(dir.path, {mysql80_1}));
  CHECK(first.continuation == "replicated-bin.000002");  // 000001 ends with its Rotate
  auto second = import_ok(import_of(dir.path, {mysql80_2}));
  REQUIRE(second.files.size() == 1);
  CHECK(second.files[0].name == "replicated-bin.000002");  // takes the empty file's place
  CHECK(read_file(dir.path / "replicated-bin.000002") == read_file(fixture_path(mysql80_2)));
  auto names = relay::read_index(dir.path, "replicated-bin");
  REQUIRE(names);
  CHECK(*names == std::vector<std::string>{"replicated-bin.000001", "replicated-bin.000002",
                                           "replicated-bin.000003"});
}

TEST_CASE("store_import: a store is only continued by the files that follow it") {
  temp_dir dir;
  import_ok(import_of(dir.path, {mysql80_2}));
  auto again = relay::import_binlogs(import_of(dir.path, {mysql80_1}));
  REQUIRE_FALSE(again);
  CHECK(again.error().code == errc::invalid_argument);
  CHECK_THAT(again.error().message, Catch::Contains("the relay log is not empty and "
                                                    "replicated-bin.000001 does not continue it"));
  auto other = relay::import_binlogs(import_of(dir.path, {mysql80_1}, "relay-bin"));
  REQUIRE_FALSE(other);
  CHECK_THAT(other.error().message, Catch::Contains("--relay-log-name replicated-bin"));
  auto flavour = relay::import_binlogs(import_of(dir.path, {mariadb_1}));
  REQUIRE_FALSE(flavour);
  CHECK_THAT(flavour.error().message, Catch::Contains("holds MySQL binlogs"));
}

TEST_CASE("store_import: a missing file between inputs is refused, nothing is written") {
  temp_dir dir;
  auto r = relay::import_binlogs(
      import_of(dir.path, {"flike__kingbus/tools/test_data/binlog/mysql_bin.000011",
                           "flike__kingbus/tools/test_data/binlog/mysql_bin.000013"}));
  REQUIRE_FALSE(r);
  CHECK_THAT(r.error().message,
             Catch::Contains("mysql_bin.000011 rotates to mysql_bin.000012, but the next file "
                             "given is mysql_bin.000013"));
  CHECK_FALSE(has_index(dir.path));
  auto order = relay::import_binlogs(import_of(dir.path, {mysql80_2, mysql80_1}));
  REQUIRE_FALSE(order);
  CHECK_THAT(order.error().message, Catch::Contains("replicated-bin.000001 does not continue "
                                                    "replicated-bin.000002"));
}

TEST_CASE("store_import: corrupt, truncated, old and relay log inputs are refused by name") {
  temp_dir dir;
  auto crc = relay::import_binlogs(import_of(
      dir.path,
      {"enhancedformysql__mysql-8.0.40/mysql-test/std_data/binlog_recovery/duplicate_xid.000001"}));
  REQUIRE_FALSE(crc);
  CHECK(crc.error().code == errc::checksum_mismatch);
  CHECK_THAT(crc.error().message,
             Catch::Contains("duplicate_xid.000001") && Catch::Contains("672"));

  auto torn = relay::import_binlogs(
      import_of(dir.path, {"enhancedformysql__mysql-8.0.40/mysql-test/std_data/"
                           "binlog_truncated_prev_gtid_event.000001"}));
  REQUIRE_FALSE(torn);
  CHECK(torn.error().code == errc::truncated);
  CHECK_THAT(torn.error().message, Catch::Contains("binlog_truncated_prev_gtid_event.000001"));

  auto old = relay::import_binlogs(import_of(
      dir.path, {"osheroff__mysql-binlog-connector-java/src/test/resources/mysql-bin.sakila"}));
  REQUIRE_FALSE(old);
  CHECK(old.error().code == errc::unsupported);
  CHECK_THAT(old.error().message,
             Catch::Contains("not Previous_gtids or Gtid_list: binrelay needs the GTID header"));

  auto relay_log = relay::import_binlogs(import_of(
      dir.path, {"flike__kingbus/tools/test_data/relaylog/flikedev1-c8pyy-relay-bin.000284"}));
  REQUIRE_FALSE(relay_log);
  CHECK(relay_log.error().code == errc::unsupported);
  CHECK_THAT(relay_log.error().message, Catch::Contains("a second Format_desc"));
  CHECK_FALSE(has_index(dir.path));
}

TEST_CASE("store_import: a file cut inside an event names the offset") {
  temp_dir src, dir;
  fs::path cut = src.path / "replicated-bin.000001";
  cut_copy(mysql80_1, 1100, cut);  // inside the Query event at 1024..1103
  relay::import_options o;
  o.directory = dir.path;
  o.inputs = {cut};
  auto r = relay::import_binlogs(o);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::truncated);
  CHECK_THAT(r.error().message,
             Catch::Contains("replicated-bin.000001") && Catch::Contains("1024"));
}

TEST_CASE("store_import: an unfinished transaction at the end of the last file is left out") {
  temp_dir src, dir;
  fs::path cut = src.path / "replicated-bin.000001";
  auto bytes = cut_copy(mysql80_1, 1178, cut);  // GTID 4 and its Query, no Xid
  relay::import_options o;
  o.directory = dir.path;
  o.inputs = {cut};
  auto report = import_ok(o);
  REQUIRE(report.files[0].changes.size() == 1);
  CHECK_THAT(report.files[0].changes[0], Catch::Contains("unfinished transaction at offset 1024"));
  bytes.resize(1024);
  CHECK(read_file(dir.path / "replicated-bin.000001") == bytes);
  CHECK(report.retrieved.mysql == gtids(mysql80_uuid + ":1-3"));
  auto store = open_store(dir.path, "replicated-bin");
  CHECK(store->end_position() == relay::log_position{"replicated-bin.000001", 1024});
}

TEST_CASE("store_import: a replica that has every GTID starts in the continuation file") {
  imported_mysql80 imported;
  auto sender =
      relay::binlog_sender::start(*imported.store, mysql_request(mysql80_uuid + ":1-9"), {});
  REQUIRE(sender);
  std::vector<std::string> types;
  for (;;) {
    event_list events;
    auto n = sender->next_events(events, 1 << 16);
    REQUIRE(n);
    if (*n == 0) break;
    for (const auto& e : events) {
      types.emplace_back(binlog::event_type_name(binlog::decode_event_header(e)->type));
    }
  }
  // The newest file whose Previous_gtids the replica has, as MySQL picks it.
  CHECK(types == std::vector<std::string>{"Rotate", "Format_desc", "Previous_gtids"});
  CHECK(sender->position() == relay::log_position{"replicated-bin.000003", 197});
}
