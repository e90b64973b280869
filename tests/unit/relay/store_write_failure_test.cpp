// A relay log write that fails (the disk is full) must leave the store able to go on from
// what its file holds: the retry starts outside any transaction, nothing published is lost,
// nothing is stored twice. The failure is injected with RLIMIT_FSIZE (EFBIG on the write that
// crosses the limit): the same path as ENOSPC, without filling a disk.

#include <catch2/catch.hpp>

#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <map>

#include "binlog/file_writer.h"
#include "store_test_support.h"
#include "support/fixtures.h"

using namespace binrelay;
using namespace binrelay::test;
namespace fs = std::filesystem;

namespace {

const char* mysql_fixture = "ChaosHour__go-parse/tests/mysql-bin.000012";

// Lowers this process's file size limit for its lifetime (writes past it fail with EFBIG).
class file_size_limit {
 public:
  explicit file_size_limit(std::uint64_t bytes) {
    std::signal(SIGXFSZ, SIG_IGN);
    REQUIRE(::getrlimit(RLIMIT_FSIZE, &saved_) == 0);
    rlimit lowered = saved_;
    lowered.rlim_cur = rlim_t(bytes);
    REQUIRE(::setrlimit(RLIMIT_FSIZE, &lowered) == 0);
  }
  ~file_size_limit() { ::setrlimit(RLIMIT_FSIZE, &saved_); }
  file_size_limit(const file_size_limit&) = delete;
  file_size_limit& operator=(const file_size_limit&) = delete;

 private:
  rlimit saved_{};
};

}  // namespace

TEST_CASE(
    "relay_store: after a failed write the retry resumes after the last transaction the file "
    "holds") {
  temp_dir dir;
  auto o = small_store_options(dir.path);
  auto events = read_events(fixture_path(mysql_fixture));
  auto s = relay::relay_store::open(o);
  REQUIRE(s);
  relay::relay_store& store = **s;

  // Feed half, remembering which event follows each published transaction end.
  std::map<std::uint64_t, std::size_t> resume_at;
  std::size_t i = 0;
  for (; i < events.size() / 2; ++i) {
    REQUIRE(store.append(events[i]));
    resume_at.try_emplace(store.end_position().offset, i + 1);
  }
  const std::uint64_t published_before = store.end_position().offset;
  const std::string file = store.end_position().file;

  error failure;
  {
    file_size_limit limit(fs::file_size(dir.path / file) + 1500);
    for (; i < events.size(); ++i) {
      auto r = store.append(events[i]);
      if (!r) {
        failure = r.error();
        break;
      }
      resume_at.try_emplace(store.end_position().offset, i + 1);
    }
    REQUIRE(i < events.size());
    CHECK(failure.code == errc::io_error);
    CHECK_THAT(failure.message, Catch::Contains("File too large"));
    // The disk is still full: the rewind itself must not need to write.
    REQUIRE(store.discard_partial_transaction());
  }
  const relay::log_position end = store.end_position();
  CHECK(end.offset >= published_before);
  REQUIRE(resume_at.count(end.offset));

  // The upstream resends from the retrieved set: its FDE, then the next transaction.
  REQUIRE(store.append(events[0]));
  for (std::size_t k = resume_at[end.offset]; k < events.size(); ++k) {
    auto r = store.append(events[k]);
    INFO("event " << k << ": " << (r ? "" : r.error().message));
    REQUIRE(r);
  }
  auto stored = data_events(read_store(store));
  auto expected = expected_data_events(events);
  REQUIRE(stored.size() == expected.size());

  s->reset();
  auto reopened = relay::relay_store::open(o);
  REQUIRE(reopened);
  CHECK((*reopened)->verification().duplicate_gtids == 0);
  CHECK((*reopened)->verification().damaged.empty());
}

TEST_CASE("file_writer: a cut inside the buffer drops the bytes instead of writing them") {
  temp_dir dir;
  auto w = binlog::file_writer::create(dir.path / "f.000001");
  REQUIRE(w);
  std::vector<std::uint8_t> chunk(100, 0x42);
  REQUIRE(w->append(chunk));
  REQUIRE(w->flush());
  REQUIRE(w->append(chunk));
  {
    file_size_limit limit(4 + 100);  // nothing more can be written
    CHECK_FALSE(w->flush());
    REQUIRE(w->truncate_to(4 + 100));
    CHECK(w->size() == 4 + 100);
    REQUIRE(w->flush());  // nothing left to write
  }
  CHECK(fs::file_size(dir.path / "f.000001") == 4 + 100);
}

TEST_CASE("relay_store: a failed per-transaction fdatasync stops writes instead of rewinding") {
  temp_dir dir;
  auto o = small_store_options(dir.path);
  std::atomic<bool> armed{false};
  o.sync = {relay::sync_mode::per_transaction, std::chrono::milliseconds(1000), [&](int fd) {
              if (!armed) return ::fdatasync(fd);
              errno = EIO;
              return -1;
            }};
  auto events = read_events(fixture_path(mysql_fixture));
  auto s = relay::relay_store::open(o);
  REQUIRE(s);
  std::size_t i = 0;
  for (; i < events.size() / 2; ++i) REQUIRE((*s)->append(events[i]));
  const relay::log_position published = (*s)->end_position();
  armed = true;
  error failure;
  for (; i < events.size(); ++i) {
    auto r = (*s)->append(events[i]);
    if (!r) {
      failure = r.error();
      break;
    }
  }
  REQUIRE(i < events.size());
  CHECK_THAT(failure.message, Catch::Contains("fdatasync failed"));
  // What the file holds after a failed fdatasync proves nothing: no rewind, no more writes.
  CHECK((*s)->discard_partial_transaction());
  CHECK((*s)->end_position() == published);
  auto again = (*s)->append(events[0]);
  REQUIRE_FALSE(again);
  CHECK_THAT(again.error().message,
             Catch::Contains("no more writes until the relay log is reopened"));
}
