// relay_store behaviour beyond the fixture round trips: partial transactions on disconnect,
// impossible sequences, upstream format changes, rotation and purge, end-change callbacks.

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <thread>

#include "relay/relay_index.h"
#include "store_test_support.h"

using namespace binrelay;
using namespace binrelay::test;
using binlog::event_type;
namespace fs = std::filesystem;

namespace {

// Polls `done` until it holds or 10 s pass.
template <class F>
bool wait_until(F done) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

const std::string kingbus = "flike__kingbus/tools/test_data/binlog/mysql_bin.0000";

// Index of the first event of the n-th transaction's (0-based) GTID in a fixture.
std::size_t nth_gtid(const event_list& events, std::size_t n) {
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (events[i][4] == std::uint8_t(event_type::gtid) && n-- == 0) return i;
  }
  FAIL("not enough transactions");
  return 0;
}

}  // namespace

TEST_CASE("relay_store: discarding a partial transaction resumes as if it never arrived") {
  temp_dir a, b;
  auto events = read_events(fixture_path(kingbus + "11"));
  auto clean = relay::relay_store::open(small_store_options(a.path));
  auto cut = relay::relay_store::open(small_store_options(b.path));
  REQUIRE(clean.has_value());
  REQUIRE(cut.has_value());
  feed(**clean, events);

  std::size_t third = nth_gtid(events, 3);
  feed(**cut, event_list(events.begin(), events.begin() + third + 3));  // 3 events of trx 4
  auto before = (*cut)->end_position();
  REQUIRE((*cut)->discard_partial_transaction().has_value());
  CHECK((*cut)->end_position() == before);
  CHECK(fs::file_size(b.path / before.file) == before.offset);
  // the reconnect sends FDE etc. again, then the transaction in full
  feed(**cut, event_list(events.begin(), events.begin() + 2));
  feed(**cut, event_list(events.begin() + third, events.end()));
  CHECK((*cut)->retrieved() == (*clean)->retrieved());
  auto x = data_events(read_store(**clean));
  auto y = data_events(read_store(**cut));
  REQUIRE(x.size() == y.size());
  for (std::size_t i = 0; i < x.size(); ++i) CHECK(x[i].bytes == y[i].bytes);
}

TEST_CASE(
    "relay_store: an impossible sequence is refused until the partial transaction is dropped") {
  temp_dir dir;
  auto events = read_events(fixture_path(kingbus + "11"));
  auto store = relay::relay_store::open(small_store_options(dir.path));
  REQUIRE(store.has_value());
  std::size_t first = nth_gtid(events, 1), second = nth_gtid(events, 2);  // 0 is a DDL
  REQUIRE(second - first > 3);
  feed(**store, event_list(events.begin(), events.begin() + first + 3));
  auto r = (*store)->append(events[second]);  // a GTID inside the open transaction
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == errc::corrupt);
  CHECK(r.error().message.find("discard") != std::string::npos);
  REQUIRE((*store)->discard_partial_transaction().has_value());
  REQUIRE((*store)->append(events[second]).has_value());
}

TEST_CASE("relay_store: a corrupted event is refused, not re-checksummed") {
  temp_dir dir;
  auto events = read_events(fixture_path(kingbus + "11"));
  auto store = relay::relay_store::open(small_store_options(dir.path));
  REQUIRE(store.has_value());
  std::size_t first = nth_gtid(events, 0);
  feed(**store, event_list(events.begin(), events.begin() + first + 1));
  auto bad = events[first + 1];
  bad[25] ^= 1;
  auto r = (*store)->append(bad);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == errc::checksum_mismatch);
  bad.pop_back();
  CHECK((*store)->append(bad).error().code == errc::corrupt);  // size mismatch
}

TEST_CASE("relay_store: data before any format description is a protocol error") {
  temp_dir dir;
  auto events = read_events(fixture_path(kingbus + "11"));
  auto store = relay::relay_store::open(small_store_options(dir.path));
  REQUIRE(store.has_value());
  auto r = (*store)->append(events[nth_gtid(events, 0)]);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == errc::protocol_error);
}

TEST_CASE("relay_store: a new upstream format starts a new file, rotate() closes the current one") {
  temp_dir dir;
  auto store = relay::relay_store::open(small_store_options(dir.path));
  REQUIRE(store.has_value());
  feed(**store, read_events(fixture_path(kingbus + "11")));
  CHECK((*store)->files().size() == 1);
  CHECK((*store)->upstream().file == "mysql_bin.000012");  // from the upstream's ROTATE
  REQUIRE((*store)->rotate().has_value());
  CHECK((*store)->files().size() == 2);
  // MySQL 8.0 events: different FDE -> new file before its first transaction
  feed(**store, read_events(fixture_path(
                    "enhancedformysql__mysql-8.0.40/mysql-test/std_data/replicated-bin.000001")));
  auto files = (*store)->files();
  REQUIRE(files.size() == 3);
  auto h2 = relay::read_file_header(dir.path / files[1].name);
  auto h3 = relay::read_file_header(dir.path / files[2].name);
  REQUIRE(h2.has_value());
  REQUIRE(h3.has_value());
  CHECK(h2->fde.server_version == "5.7.23-log");
  CHECK(h3->fde.server_version == "8.0.29-debug");
  CHECK(fs::file_size(dir.path / files[1].name) == h2->end_offset + 19 + 8 + 16 + 4);  // + ROTATE
  CHECK(*relay::read_index(dir.path, "relay-bin") ==
        std::vector<std::string>{files[0].name, files[1].name, files[2].name});
}

TEST_CASE("relay_store: retention purges the oldest files, never the current or one in use") {
  temp_dir dir;
  auto opts = small_store_options(dir.path);
  opts.max_file_size = 1000;
  std::string in_use;
  opts.file_in_use = [&](std::string_view f) { return f == in_use; };
  auto store = relay::relay_store::open(opts);
  REQUIRE(store.has_value());
  feed(**store, read_events(fixture_path(kingbus + "11")));
  auto files = (*store)->files();
  REQUIRE(files.size() >= 5);

  in_use = files[2].name;
  auto purged = (*store)->purge_to(files[4].name);
  REQUIRE(purged.has_value());
  CHECK(*purged == 2);  // stops at the file in use
  CHECK((*store)->files().front().name == files[2].name);
  CHECK_FALSE(fs::exists(dir.path / files[0].name));
  CHECK(fs::exists(dir.path / files[2].name));
  CHECK((*store)->purge_to("relay-bin.999999").error().code == errc::not_found);

  in_use.clear();
  REQUIRE((*store)->purge_to((*store)->files().back().name).has_value());
  CHECK((*store)->files().size() == 1);  // only the current file is left
  CHECK(relay::read_index(dir.path, "relay-bin")->size() == 1);
}

TEST_CASE("relay_store: retention by total size keeps the newest files under the limit") {
  temp_dir dir;
  auto opts = small_store_options(dir.path);
  opts.max_file_size = 1000;
  opts.retention.max_total_size = 3000;
  auto store = relay::relay_store::open(opts);
  REQUIRE(store.has_value());
  feed(**store, read_events(fixture_path(kingbus + "11")));
  feed(**store, read_events(fixture_path(kingbus + "12")));
  auto files = (*store)->files();
  std::uint64_t total = 0;
  for (const auto& f : files) total += f.size;
  CHECK(total <= 3000 + 1500);  // the current file may be over while it grows
  CHECK(files.front().number > 1);
  auto on_disk = relay::list_relay_files(dir.path, "relay-bin");
  CHECK(on_disk->size() == files.size());
}

TEST_CASE("relay_store: on_end_change reports each publication that moves the end, once") {
  temp_dir dir;
  auto opts = small_store_options(dir.path);
  opts.sync.mode = relay::sync_mode::per_transaction;
  auto store = relay::relay_store::open(opts);
  REQUIRE(store.has_value());
  auto events = read_events(fixture_path(kingbus + "11"));
  std::size_t second = nth_gtid(events, 1);
  feed(**store, event_list(events.begin(), events.begin() + second));
  auto start = (*store)->end_position();
  // Runs on the writer thread (this one) with the writer mutex held.
  std::vector<relay::log_position> seen;
  (*store)->set_on_end_change([&](const relay::log_position& end) {
    CHECK((*store)->end_position() == end);  // published before the callback runs
    seen.push_back(end);
  });
  std::vector<bytes_view> batch;
  for (std::size_t i = second; i < events.size(); ++i) batch.emplace_back(events[i]);
  REQUIRE((*store)->append_batch(batch).has_value());
  REQUIRE(seen.size() == 1);  // one batch, one publication
  CHECK(seen[0].offset > start.offset);
  CHECK(seen[0] == (*store)->end_position());
  REQUIRE((*store)->flush().has_value());  // nothing new: the end did not move
  CHECK(seen.size() == 1);
}

TEST_CASE("relay_store: the interval policy syncs in the background, only after writes") {
  temp_dir dir;
  auto opts = small_store_options(dir.path);
  std::atomic<int> syncs{0};
  std::atomic<std::int64_t> synced_size{0};  // file size at the latest fdatasync
  opts.sync = {relay::sync_mode::interval, std::chrono::milliseconds(5), [&](int fd) {
                 struct stat st {};  // no Catch2 assertions here: this is another thread
                 if (::fstat(fd, &st) == 0) synced_size = st.st_size;
                 ++syncs;
                 return ::fdatasync(fd);
               }};
  auto store = relay::relay_store::open(opts);
  REQUIRE(store.has_value());
  feed(**store, read_events(fixture_path(kingbus + "11")));  // appends never sync here
  REQUIRE((*store)->files().size() == 1);
  const auto end = (*store)->end_position();
  // No flush(): only the background task can sync the last writes.
  CHECK(wait_until([&] { return synced_size >= std::int64_t(end.offset); }));
  const int settled = syncs;
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // 10 intervals, nothing written
  CHECK(syncs == settled);
}

TEST_CASE(
    "relay_store: a failed background fdatasync fails the next writes, keeps what was published") {
  temp_dir dir;
  auto opts = small_store_options(dir.path);
  // Fails only on the background syncer's thread, once armed: the test thread's own syncs
  // (the new file's header) succeed.
  const auto test_thread = std::this_thread::get_id();
  std::atomic<bool> armed{false};
  std::atomic<int> failures{0};
  opts.sync = {relay::sync_mode::interval, std::chrono::milliseconds(5), [&](int fd) {
                 if (!armed || std::this_thread::get_id() == test_thread) return ::fdatasync(fd);
                 ++failures;
                 errno = EIO;
                 return -1;
               }};
  auto events = read_events(fixture_path(kingbus + "11"));
  const std::size_t second = nth_gtid(events, 1), third = nth_gtid(events, 2);
  auto store = relay::relay_store::open(opts);
  REQUIRE(store.has_value());
  feed(**store, event_list(events.begin(), events.begin() + second));
  armed = true;
  // Dirties the file for the syncer (or is refused already if it failed on the first batch).
  std::vector<bytes_view> trx2(events.begin() + std::ptrdiff_t(second),
                               events.begin() + std::ptrdiff_t(third));
  (void)(*store)->append_batch(trx2);
  REQUIRE(wait_until([&] { return failures > 0; }));
  const auto published = (*store)->end_position();
  const auto retrieved = (*store)->retrieved();

  auto r = (*store)->append(events[third]);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::io_error);
  CHECK_THAT(r.error().message, Catch::Contains("background sync failed"));
  CHECK_THAT(r.error().message, Catch::Contains("relay-bin.000001: fdatasync failed"));
  CHECK_THAT(r.error().message, Catch::Contains("Input/output error (errno 5)"));
  auto again = (*store)->append(events[third]);
  REQUIRE_FALSE(again);
  CHECK(again.error().message == r.error().message);
  CHECK_FALSE((*store)->flush());
  CHECK_FALSE((*store)->rotate());
  CHECK((*store)->discard_partial_transaction().has_value());
  CHECK((*store)->end_position() == published);
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  CHECK(failures == 1);  // not retried: a later success would prove nothing

  armed = false;
  store->reset();
  auto reopened = relay::relay_store::open(opts);
  REQUIRE(reopened.has_value());
  CHECK((*reopened)->end_position() == published);
  CHECK((*reopened)->retrieved() == retrieved);
}
