// event_map_reader: the events of a real binlog come out whole and byte-exact however the
// readable limit advances, never past the limit; a growing file is followed past the room of
// its first mapping; a corrupt size is an error naming the offset; a file shorter than the
// limit is an io_error.

#include <catch2/catch.hpp>

#include <fstream>

#include "relay/event_map_reader.h"
#include "store_test_support.h"

using namespace binrelay;
using namespace binrelay::test;

namespace {

const char* fixture = "Osso__mariadb-mysql-cdc/fixtures/mixed-binlog/mysql-bin.000001";

// Reads every event of `path` from offset 4, raising the limit by `step` bytes (up to `limit`)
// whenever no whole event is readable.
event_list read_all(const std::filesystem::path& path, std::uint64_t step, std::uint64_t limit) {
  auto r = relay::event_map_reader::open(path, "f", 4);
  REQUIRE(r);
  event_list out;
  std::uint64_t readable = 4;
  for (;;) {
    auto e = r->next();
    REQUIRE(e);
    if (!e->empty()) {
      out.emplace_back(e->begin(), e->end());
      continue;
    }
    if (readable == limit) return out;
    readable = std::min(limit, readable + step);
    REQUIRE(r->fill(readable));
  }
}

std::vector<std::uint8_t> file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void append(const std::filesystem::path& path, bytes_view bytes) {
  std::ofstream(path, std::ios::binary | std::ios::app)
      .write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

}  // namespace

TEST_CASE("event_map_reader: every limit step yields the file's events byte-exact",
          "[event_map_reader]") {
  auto path = fixture_path(fixture);
  auto expected = read_events(path);
  auto size = std::filesystem::file_size(path);
  for (std::uint64_t step : {std::uint64_t(1), std::uint64_t(100), std::uint64_t(4096), size}) {
    CAPTURE(step);
    CHECK(read_all(path, step, size) == expected);
  }
}

TEST_CASE("event_map_reader: nothing past the limit is handed out", "[event_map_reader]") {
  auto path = fixture_path(fixture);
  auto all = read_events(path);
  REQUIRE(all.size() > 3);
  std::uint64_t limit = 4 + all[0].size() + all[1].size() + all[2].size() - 1;
  auto got = read_all(path, 64, limit);
  CHECK(got.size() == 2);
  auto r = relay::event_map_reader::open(path, "f", 4);
  REQUIRE(r);
  REQUIRE(r->fill(4 + all[0].size()));
  auto first = r->next();
  REQUIRE(first);
  CHECK(first->size() == all[0].size());
  CHECK(r->offset() == 4 + all[0].size());
  auto none = r->next();
  REQUIRE(none);
  CHECK(none->empty());
}

TEST_CASE("event_map_reader: a growing file is followed past the room of its first mapping",
          "[event_map_reader]") {
  auto source = file_bytes(fixture_path(fixture));
  auto events = read_events(fixture_path(fixture));
  REQUIRE(events.size() > 2);
  temp_dir dir;
  auto path = dir.path / "growing";
  std::size_t head = 4 + events[0].size();
  append(path, bytes_view(source.data(), head));
  auto r = relay::event_map_reader::open(path, "growing", 4);
  REQUIRE(r);
  REQUIRE(r->fill(head));
  auto first = r->next();
  REQUIRE(first);
  CHECK(std::vector<std::uint8_t>(first->begin(), first->end()) == events[0]);
  // 40 MiB of copies of the second event: past the first mapping's room (16 MiB), so that
  // fill() maps the file anew.
  std::size_t copies = (std::size_t(40) << 20) / events[1].size();
  for (std::size_t i = 0; i < copies; ++i) append(path, events[1]);
  REQUIRE(r->fill(head + copies * events[1].size()));
  std::size_t got = 0;
  for (;;) {
    auto e = r->next();
    REQUIRE(e);
    if (e->empty()) break;
    REQUIRE(std::vector<std::uint8_t>(e->begin(), e->end()) == events[1]);
    ++got;
  }
  CHECK(got == copies);
}

TEST_CASE("event_map_reader: an event_size below the header size is corrupt",
          "[event_map_reader]") {
  temp_dir dir;
  auto path = dir.path / "bad";
  std::vector<char> bytes(4 + 40, 0);
  bytes[4 + 9] = 5;  // event_size 5
  std::ofstream(path, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
  auto r = relay::event_map_reader::open(path, "bad", 4);
  REQUIRE(r);
  REQUIRE(r->fill(bytes.size()));
  auto e = r->next();
  REQUIRE_FALSE(e);
  CHECK(e.error().code == errc::corrupt);
  CHECK_THAT(e.error().message, Catch::Contains("bad at 4"));
}

TEST_CASE("event_map_reader: a file shorter than the limit is an io_error", "[event_map_reader]") {
  auto path = fixture_path(fixture);
  auto r = relay::event_map_reader::open(path, "f", 4);
  REQUIRE(r);
  auto size = std::filesystem::file_size(path);
  auto got = r->fill(size + 100);
  REQUIRE_FALSE(got);
  CHECK(got.error().code == errc::io_error);
  CHECK_THAT(got.error().message, Catch::Contains("ends at"));
  REQUIRE(r->fill(size));
  auto e = r->next();
  REQUIRE(e);
  CHECK_FALSE(e->empty());
}

namespace {

// RssFile of this process, in bytes (/proc/self/status).
std::uint64_t rss_file_bytes() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("RssFile:", 0) == 0) return std::stoull(line.substr(8)) * 1024;
  }
  return 0;
}

}  // namespace

TEST_CASE("event_map_reader: pages read past leave the resident set", "[event_map_reader]") {
  auto events = read_events(fixture_path(fixture));
  REQUIRE(events.size() > 1);
  temp_dir dir;
  auto path = dir.path / "big";
  auto source = file_bytes(fixture_path(fixture));
  append(path, bytes_view(source.data(), 4 + events[0].size()));
  std::size_t copies = (std::size_t(64) << 20) / events[1].size();
  for (std::size_t i = 0; i < copies; ++i) append(path, events[1]);
  auto size = std::filesystem::file_size(path);
  auto r = relay::event_map_reader::open(path, "big", 4);
  REQUIRE(r);
  REQUIRE(r->fill(size));
  auto before = rss_file_bytes();
  std::size_t got = 0;
  for (;;) {
    auto e = r->next();
    REQUIRE(e);
    if (e->empty()) break;
    ++got;
  }
  CHECK(got == copies + 1);
  // 64 MiB were read through the mapping; only the last few MiB may still be mapped.
  CHECK(rss_file_bytes() < before + (std::uint64_t(16) << 20));
}
