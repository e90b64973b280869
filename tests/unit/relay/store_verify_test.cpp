// Verification of a whole store at open: damage in a file that is not the last one is
// reported (file, offset, what) and not repaired; the damaged range is not served; a GTID
// stored twice is found.

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <fstream>

#include "relay/binlog_sender.h"
#include "relay/store_verify.h"
#include "store_test_support.h"
#include "support/fixtures.h"

using namespace binrelay;
using namespace binrelay::test;
namespace fs = std::filesystem;

namespace {

const char* mysql_fixture = "ChaosHour__go-parse/tests/mysql-bin.000012";
const char* mariadb_fixture = "Osso__mariadb-mysql-cdc/fixtures/mixed-binlog/mysql-bin.000001";

// Builds a store of several files from a fixture and closes it.
std::vector<relay::file_info> build_store(const fs::path& dir, const char* fixture) {
  auto o = small_store_options(dir);
  o.max_file_size = 1024;
  auto s = relay::relay_store::open(o);
  REQUIRE(s);
  feed(**s, read_events(fixture_path(fixture)));
  auto files = (*s)->files();
  REQUIRE(files.size() >= 4);
  return files;
}

void flip_bytes(const fs::path& p, std::uint64_t at, std::size_t n) {
  auto bytes = read_file(p);
  REQUIRE(at + n <= bytes.size());
  for (std::size_t i = 0; i < n; ++i) bytes[at + i] ^= 0xa5;
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

std::unique_ptr<relay::relay_store> reopen(const fs::path& dir) {
  auto s = relay::relay_store::open(small_store_options(dir));
  REQUIRE(s);
  return std::move(*s);
}

// Reads everything a replica without GTIDs is sent; returns the error that ended it.
binrelay::error serve_until_error(const relay::relay_store& store, event_list& sent) {
  relay::dump_request r;
  r.how = relay::dump_request::mode::mysql_gtid;
  auto sender = relay::binlog_sender::start(store, r, {});
  if (!sender) return sender.error();
  for (;;) {
    auto n = sender->next_events(sent, 1 << 16);
    if (!n) return n.error();
    REQUIRE(*n > 0);  // the store's end is past the damage: the dump must not just idle
  }
}

}  // namespace

TEST_CASE("store_verify: an intact store of many files has no damage, mismatch or duplicate") {
  for (const char* fixture : {mysql_fixture, mariadb_fixture}) {
    SECTION(fixture) {
      temp_dir dir;
      auto files = build_store(dir.path, fixture);
      auto v = relay::verify_store_files(dir.path, files);
      CHECK(v.damaged.empty());
      CHECK(v.gtid_mismatches.empty());
      CHECK(v.duplicate_gtids == 0);
      CHECK(v.files == files.size());
      CHECK(v.bytes > 0);
    }
  }
}

TEST_CASE("store_verify: bytes flipped in the middle of an older file are reported, not repaired") {
  temp_dir dir;
  auto files = build_store(dir.path, mysql_fixture);
  const auto& victim = files[files.size() / 2];
  const fs::path p = dir.path / victim.name;
  const std::uint64_t size = fs::file_size(p);
  flip_bytes(p, size / 2, 16);

  auto store = reopen(dir.path);
  CHECK(fs::file_size(p) == size);  // nothing truncated or rewritten
  auto d = store->damage_in(victim.name);
  REQUIRE(d);
  CHECK(d->from <= d->event_offset);
  CHECK(d->event_offset <= size / 2);
  CHECK_THAT(d->what, Catch::Contains("CRC32"));
  CHECK(store->verification().damaged.size() == 1);
  CHECK(store->files().size() == files.size());  // ingest state unchanged
}

TEST_CASE("store_verify: a replica reaching a damaged range gets 1236 naming file and offset") {
  temp_dir dir;
  auto files = build_store(dir.path, mysql_fixture);
  const auto& victim = files[1];
  flip_bytes(dir.path / victim.name, fs::file_size(dir.path / victim.name) / 2, 16);
  auto store = reopen(dir.path);
  auto d = store->damage_in(victim.name);
  REQUIRE(d);

  event_list sent;
  binrelay::error e = serve_until_error(*store, sent);
  CHECK(e.code == errc::server_error);
  CHECK(e.server_errno == 1236);
  CHECK_THAT(e.message, Catch::Contains("relay log " + victim.name + " is damaged at offset " +
                                        std::to_string(d->event_offset)));
  CHECK_THAT(e.message, Catch::Contains("from offset " + std::to_string(d->from)));
  // What was sent ends at a transaction boundary before the damage: the last event sent from
  // the damaged file ends exactly at `from`.
  REQUIRE_FALSE(sent.empty());
  auto h = binlog::decode_event_header(sent.back());
  REQUIRE(h);
  CHECK(h->log_pos == d->from);
}

TEST_CASE("store_verify: a file/position dump starting inside a damaged range is refused") {
  temp_dir dir;
  auto files = build_store(dir.path, mysql_fixture);
  flip_bytes(dir.path / files[1].name, fs::file_size(dir.path / files[1].name) / 2, 16);
  auto store = reopen(dir.path);
  auto d = store->damage_in(files[1].name);
  REQUIRE(d);
  relay::dump_request r;
  r.file = files[1].name;
  r.position = d->from;
  auto sender = relay::binlog_sender::start(*store, r, {});
  REQUIRE_FALSE(sender);
  CHECK(sender.error().server_errno == 1236);

  r.file = files[2].name;  // after the damaged file: served
  r.position = 4;
  CHECK(relay::binlog_sender::start(*store, r, {}));
}

TEST_CASE("store_verify: an older file cut inside an event is reported as damaged at its end") {
  temp_dir dir;
  auto files = build_store(dir.path, mysql_fixture);
  const fs::path p = dir.path / files[1].name;
  fs::resize_file(p, fs::file_size(p) - 7);
  auto v = relay::verify_store_files(dir.path, files);
  REQUIRE(v.damaged.size() == 1);
  CHECK(v.damaged[0].file == files[1].name);
  CHECK(v.damaged[0].from < fs::file_size(p));
}

TEST_CASE("store_verify: a GTID stored twice is reported with its file and offset") {
  temp_dir dir;
  auto o = small_store_options(dir.path);
  o.max_file_size = 4096;
  auto events = read_events(fixture_path(mysql_fixture));
  {
    auto s = relay::relay_store::open(o);
    REQUIRE(s);
    feed(**s, events);
    feed(**s, events);  // what two writers on one directory produced
  }
  auto store = reopen(dir.path);
  auto v = store->verification();
  CHECK(v.damaged.empty());
  REQUIRE(v.first_duplicate);
  CHECK(v.duplicate_gtids > 1);
  std::vector<stored_event> data = data_events(read_store(*store));
  // The first duplicate is the first GTID event of the second copy.
  std::size_t first_copy_events = expected_data_events(events).size();
  REQUIRE(data.size() == 2 * first_copy_events);
  CHECK(v.first_duplicate->file == data[first_copy_events].file);
  CHECK(v.first_duplicate->offset == data[first_copy_events].offset);
  CHECK(v.first_duplicate->gtid.find(':') != std::string::npos);
}

// Not run by default (hidden tag): `unit_relay "[.bench]" -s` prints the rate on ~1 GiB.
TEST_CASE("store_verify: rate on 1 GiB of relay logs", "[.bench]") {
  temp_dir dir;
  auto o = small_store_options(dir.path);
  o.max_file_size = std::uint64_t(64) << 20;
  auto events = read_events(fixture_path(mysql_fixture));
  std::vector<relay::file_info> files;
  {
    auto s = relay::relay_store::open(o);
    REQUIRE(s);
    while ((*s)->files().empty() || (*s)->files().size() * o.max_file_size < (1ull << 30)) {
      for (const auto& e : events) REQUIRE((*s)->append(e));
    }
    files = (*s)->files();
  }
  auto warm = relay::verify_store_files(dir.path, files);
  for (const auto& f : files) {
    int fd = ::open((dir.path / f.name).c_str(), O_RDONLY);
    REQUIRE(fd >= 0);
    ::fdatasync(fd);
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    ::close(fd);
  }
  auto cold = relay::verify_store_files(dir.path, files);
  WARN("verify " << warm.bytes / double(1 << 20) << " MiB in " << files.size()
                 << " files: page cache " << warm.elapsed_ms << " ms ("
                 << warm.bytes / 1e6 / (double(warm.elapsed_ms) / 1000) << " MB/s), from disk "
                 << cold.elapsed_ms << " ms ("
                 << cold.bytes / 1e6 / (double(cold.elapsed_ms) / 1000) << " MB/s)");
  CHECK(warm.damaged.empty());
}
