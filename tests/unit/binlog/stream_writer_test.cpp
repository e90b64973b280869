// file_writer: byte-identical copies of real binlogs, truncation, reopening, misuse.

#include <catch2/catch.hpp>

#include "binlog/file_reader.h"
#include "binlog/file_writer.h"
#include "stream_test_support.h"
#include "support/fixtures.h"

namespace binrelay::binlog {
namespace {

using test::temp_dir;

// Copies `from` event by event through file_reader -> file_writer.
void copy_binlog(const std::filesystem::path& from, const std::filesystem::path& to,
                 file_writer_options wo) {
  auto reader = file_reader::open(from);
  REQUIRE(reader);
  auto writer = file_writer::create(to, wo);
  REQUIRE(writer);
  for (;;) {
    auto ev = reader->next();
    REQUIRE(ev);
    if (!*ev) break;
    REQUIRE(writer->size() == (*ev)->offset);
    REQUIRE(writer->append((*ev)->bytes));
  }
  REQUIRE(writer->close());
}

}  // namespace

TEST_CASE("file_writer: copying real binlogs event by event is byte-identical") {
  temp_dir dir;
  const char* names[] = {
      "ChaosHour__go-parse/tests/mysql-bin.000012",
      "osheroff__mysql-binlog-connector-java/src/test/resources/mysql-bin.compressed",
      "shortishly__msmp/test/binlog.000001",
  };
  for (const char* name : names) {
    INFO(name);
    const auto src = binrelay::test::fixtures_dir() / name;
    for (std::size_t buffer : {std::size_t(512), std::size_t(1) << 20}) {
      const auto dst = dir / ("copy-" + std::to_string(buffer));
      std::filesystem::remove(dst);
      copy_binlog(src, dst, file_writer_options{buffer});
      CHECK(binrelay::test::read_file(dst) == binrelay::test::read_file(src));
    }
  }
}

TEST_CASE("file_writer: a new file holds the magic, size counts buffered bytes") {
  temp_dir dir;
  auto w = file_writer::create(dir / "b.000001");
  REQUIRE(w);
  CHECK(w->size() == 4);
  CHECK(binrelay::test::read_file(dir / "b.000001") ==
        std::vector<std::uint8_t>(binlog_magic, binlog_magic + 4));
  auto fde = test::real_crc32_fde();
  REQUIRE(w->append(fde));
  CHECK(w->size() == 4 + fde.size());
  CHECK(std::filesystem::file_size(dir / "b.000001") == 4);
  REQUIRE(w->sync());
  CHECK(std::filesystem::file_size(dir / "b.000001") == 4 + fde.size());
}

TEST_CASE("file_writer: create refuses an existing file") {
  temp_dir dir;
  REQUIRE(file_writer::create(dir / "b.000001"));
  auto again = file_writer::create(dir / "b.000001");
  REQUIRE_FALSE(again);
  CHECK(again.error().code == errc::io_error);
  CHECK_THAT(again.error().message, Catch::Contains("b.000001"));
}

TEST_CASE("file_writer: truncate_to cuts back to an event boundary and appends continue there") {
  temp_dir dir;
  auto image = test::synthetic_binlog({100, 200, 300});
  auto w = file_writer::create(dir / "b.000001");
  REQUIRE(w);
  REQUIRE(w->append(bytes_view(image).subspan(4)));
  const std::uint64_t fde_end = 4 + test::real_crc32_fde().size();
  const std::uint64_t second_end = fde_end + 123 + 223;
  REQUIRE(w->truncate_to(second_end));
  CHECK(w->size() == second_end);
  auto extra = test::synthetic_event(event_type::rows_query, 50, std::uint32_t(second_end + 73), 9);
  REQUIRE(w->append(extra));
  REQUIRE(w->close());

  auto expected =
      std::vector<std::uint8_t>(image.begin(), image.begin() + std::ptrdiff_t(second_end));
  expected.insert(expected.end(), extra.begin(), extra.end());
  CHECK(binrelay::test::read_file(dir / "b.000001") == expected);
  auto reader = file_reader::open(dir / "b.000001");
  REQUIRE(reader);
  int events = 0;
  for (auto ev = reader->next(); ev && *ev; ev = reader->next()) ++events;
  CHECK(events == 4);
  CHECK(reader->good_end_offset() == expected.size());
}

TEST_CASE("file_writer: truncate_to refuses offsets inside the magic or past the end") {
  temp_dir dir;
  auto w = file_writer::create(dir / "b.000001");
  REQUIRE(w);
  CHECK(w->truncate_to(3).error().code == errc::invalid_argument);
  CHECK(w->truncate_to(5).error().code == errc::invalid_argument);
  CHECK(w->truncate_to(4));
}

TEST_CASE("file_writer: open_existing appends at the end and rejects non-binlogs") {
  temp_dir dir;
  auto image = test::synthetic_binlog({100, 200});
  const std::size_t half = 4 + test::real_crc32_fde().size() + 123;
  test::write_bytes(dir / "b.000001", bytes_view(image).first(half));
  auto w = file_writer::open_existing(dir / "b.000001");
  REQUIRE(w);
  CHECK(w->size() == half);
  REQUIRE(w->append(bytes_view(image).subspan(half)));
  REQUIRE(w->close());
  CHECK(binrelay::test::read_file(dir / "b.000001") == image);

  const std::uint8_t junk[] = {1, 2, 3, 4, 5};
  test::write_bytes(dir / "junk", junk);
  auto j = file_writer::open_existing(dir / "junk");
  REQUIRE_FALSE(j);
  CHECK(j.error().code == errc::corrupt);
  CHECK(file_writer::open_existing(dir / "none").error().code == errc::not_found);
}

TEST_CASE("file_writer: append after close is an error") {
  temp_dir dir;
  auto w = file_writer::create(dir / "b.000001");
  REQUIRE(w);
  REQUIRE(w->close());
  CHECK(w->append(binlog_magic).error().code == errc::invalid_argument);
}

}  // namespace binrelay::binlog

namespace binrelay::binlog {

TEST_CASE("file_writer: append_mutable returns the buffered copy, patches reach the file") {
  temp_dir dir;
  auto w = file_writer::create(dir / "m.000001", file_writer_options{64});
  REQUIRE(w);
  std::vector<std::uint8_t> expected(binlog_magic, binlog_magic + 4);
  // Small events share the buffer; one larger than the buffer is buffered alone.
  for (std::size_t size : {std::size_t(20), std::size_t(30), std::size_t(200), std::size_t(25)}) {
    std::vector<std::uint8_t> event(size, std::uint8_t(size));
    const std::uint64_t offset = w->size();
    auto copy = w->append_mutable(event);
    REQUIRE(copy);
    REQUIRE(copy->size() == size);
    CHECK(w->size() == offset + size);
    (*copy)[0] = 0xAB;  // patched after the append, before any flush
    event[0] = 0xAB;
    expected.insert(expected.end(), event.begin(), event.end());
  }
  REQUIRE(w->close());
  CHECK(binrelay::test::read_file(dir / "m.000001") == expected);
}

}  // namespace binrelay::binlog
