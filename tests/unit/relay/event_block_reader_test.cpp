// event_block_reader: the events of a real binlog come out whole and byte-exact whatever the
// block size, never past the readable limit; a corrupt size is an error naming the offset.

#include <catch2/catch.hpp>

#include <fstream>

#include "relay/event_block_reader.h"
#include "store_test_support.h"

using namespace binrelay;
using namespace binrelay::test;

namespace {

const char* fixture = "Osso__mariadb-mysql-cdc/fixtures/mixed-binlog/mysql-bin.000001";

// Reads every event of `path` from offset 4 up to `limit`, refilling when needed.
event_list read_all(const std::filesystem::path& path, std::size_t block, std::uint64_t limit) {
  auto r = relay::event_block_reader::open(path, "f", 4, block);
  REQUIRE(r);
  event_list out;
  for (;;) {
    auto e = r->next();
    REQUIRE(e);
    if (!e->empty()) {
      out.emplace_back(e->begin(), e->end());
      continue;
    }
    auto got = r->fill(limit);
    REQUIRE(got);
    if (*got == 0) return out;
  }
}

}  // namespace

TEST_CASE("event_block_reader: every block size yields the file's events byte-exact",
          "[event_block_reader]") {
  auto path = fixture_path(fixture);
  auto expected = read_events(path);
  auto size = std::filesystem::file_size(path);
  for (std::size_t block :
       {std::size_t(64), std::size_t(100), std::size_t(4096), std::size_t(1) << 20}) {
    CAPTURE(block);
    CHECK(read_all(path, block, size) == expected);
  }
}

TEST_CASE("event_block_reader: nothing past the limit is handed out", "[event_block_reader]") {
  auto path = fixture_path(fixture);
  auto all = read_events(path);
  REQUIRE(all.size() > 3);
  std::uint64_t limit = 4 + all[0].size() + all[1].size() + all[2].size() - 1;
  auto got = read_all(path, 64, limit);
  CHECK(got.size() == 2);
  auto r = relay::event_block_reader::open(path, "f", 4, std::size_t(1) << 20);
  REQUIRE(r);
  REQUIRE(r->fill(4 + all[0].size()));
  auto first = r->next();
  REQUIRE(first);
  CHECK(first->size() == all[0].size());
  CHECK(r->offset() == 4 + all[0].size());
}

TEST_CASE("event_block_reader: an event_size below the header size is corrupt",
          "[event_block_reader]") {
  temp_dir dir;
  auto path = dir.path / "bad";
  std::vector<char> bytes(4 + 40, 0);
  bytes[4 + 9] = 5;  // event_size 5
  std::ofstream(path, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
  auto r = relay::event_block_reader::open(path, "bad", 4);
  REQUIRE(r);
  REQUIRE(r->fill(bytes.size()));
  auto e = r->next();
  REQUIRE_FALSE(e);
  CHECK(e.error().code == errc::corrupt);
  CHECK_THAT(e.error().message, Catch::Contains("bad at 4"));
}

TEST_CASE("event_block_reader: a file shorter than the limit is an io_error",
          "[event_block_reader]") {
  auto path = fixture_path(fixture);
  auto r = relay::event_block_reader::open(path, "f", 4, 64);
  REQUIRE(r);
  auto size = std::filesystem::file_size(path);
  for (;;) {
    auto e = r->next();
    REQUIRE(e);
    if (!e->empty()) continue;
    auto got = r->fill(size + 100);
    if (!got) {
      CHECK(got.error().code == errc::io_error);
      return;
    }
    REQUIRE(*got > 0);
  }
}
