// file_reader on synthetic files: chunking and large events, corruption, truncation and
// tailing, magic checks, the header-only scan, seek.

#include <catch2/catch.hpp>

#include <algorithm>

#include "binlog/file_reader.h"
#include "binlog/file_writer.h"
#include "stream_test_support.h"

namespace binrelay::binlog {
namespace {

using test::synthetic_binlog;
using test::temp_dir;
using test::write_bytes;

struct read_back {
  std::vector<std::vector<std::uint8_t>> bytes;
  std::vector<std::uint64_t> offsets;
};

read_back read_everything(file_reader& reader) {
  read_back out;
  for (;;) {
    auto ev = reader.next();
    REQUIRE(ev);
    if (!*ev) break;
    out.bytes.emplace_back((*ev)->bytes.begin(), (*ev)->bytes.end());
    out.offsets.push_back((*ev)->offset);
  }
  return out;
}

// Offsets of the events in a synthetic file image.
std::vector<std::uint64_t> event_offsets(const std::vector<std::uint8_t>& file) {
  std::vector<std::uint64_t> out;
  for (std::size_t pos = 4; pos < file.size(); pos += load_u32(file.data() + pos + 9))
    out.push_back(pos);
  return out;
}

file_reader_options small_buffer() {
  file_reader_options o;
  o.buffer_size = 4096;
  return o;
}

}  // namespace

TEST_CASE(
    "file_reader: events larger than the buffer are read whole, then the buffer shrinks back") {
  temp_dir dir;
  auto image = synthetic_binlog({10, 5000, 100000, 3, 4090, 4096, 70000, 1});
  write_bytes(dir / "b.000001", image);
  auto reader = file_reader::open(dir / "b.000001", small_buffer());
  REQUIRE(reader);
  auto got = read_everything(*reader);
  const auto offsets = event_offsets(image);
  REQUIRE(got.offsets == offsets);
  for (std::size_t i = 0; i < offsets.size(); ++i) {
    const std::size_t size = load_u32(image.data() + offsets[i] + 9);
    CHECK(std::equal(got.bytes[i].begin(), got.bytes[i].end(),
                     image.begin() + std::ptrdiff_t(offsets[i]),
                     image.begin() + std::ptrdiff_t(offsets[i] + size)));
  }
  CHECK(reader->good_end_offset() == image.size());
  CHECK(reader->buffer_capacity() <= 2 * 70000 + 4096);
  CHECK(reader->format().checksum == checksum_alg::crc32);
}

TEST_CASE("file_reader: a 17 MiB event is read whole and its CRC32 verified") {
  temp_dir dir;
  const std::size_t big = (std::size_t(17) << 20) + 123;
  auto image = synthetic_binlog({100, big, 200, 300});
  write_bytes(dir / "big.000001", image);
  auto reader = file_reader::open(dir / "big.000001", small_buffer());
  REQUIRE(reader);
  std::vector<std::uint32_t> sizes;
  for (;;) {
    auto ev = reader->next();
    REQUIRE(ev);
    if (!*ev) break;
    sizes.push_back((*ev)->header.event_size);
    CHECK((*ev)->bytes.size() == (*ev)->header.event_size);
  }
  REQUIRE(sizes.size() == 5);
  CHECK(sizes[2] == big + 23);
  CHECK(reader->buffer_capacity() < (std::size_t(1) << 20));
}

TEST_CASE(
    "file_reader: a flipped byte fails the CRC32 check naming file, offset and type, reading goes "
    "on") {
  temp_dir dir;
  auto image = synthetic_binlog({100, 200, 300});
  const auto offsets = event_offsets(image);
  image[offsets[2] + 40] ^= 0x01;
  write_bytes(dir / "mysql-bin.000003", image);
  auto reader = file_reader::open(dir / "mysql-bin.000003");
  REQUIRE(reader);
  REQUIRE(reader->next());  // FDE
  REQUIRE(reader->next());  // first Rows_query
  auto bad = reader->next();
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == errc::checksum_mismatch);
  CHECK_THAT(bad.error().message,
             Catch::StartsWith("mysql-bin.000003: event at offset " + std::to_string(offsets[2]) +
                               " (Rows_query, 223 bytes) fails its CRC32 check: stored 0x"));
  CHECK_THAT(bad.error().message, Catch::Contains(", computed 0x"));
  CHECK(reader->good_end_offset() == offsets[2]);
  auto after = reader->next();
  REQUIRE(after);
  REQUIRE(*after);
  CHECK((*after)->offset == offsets[3]);
  CHECK(reader->next().value() == std::nullopt);
}

TEST_CASE("file_reader: skip_bad_events skips a bad CRC32 and lists it") {
  temp_dir dir;
  auto image = synthetic_binlog({100, 200, 300});
  const auto offsets = event_offsets(image);
  image[offsets[1] + 19] ^= 0x80;
  write_bytes(dir / "b.000001", image);
  file_reader_options o;
  o.skip_bad_events = true;
  auto reader = file_reader::open(dir / "b.000001", o);
  REQUIRE(reader);
  auto got = read_everything(*reader);
  CHECK(got.offsets == std::vector<std::uint64_t>{offsets[0], offsets[2], offsets[3]});
  REQUIRE(reader->skipped().size() == 1);
  CHECK_THAT(reader->skipped()[0].message, Catch::Contains("offset " + std::to_string(offsets[1])));
}

TEST_CASE("file_reader: verify_checksums off accepts a flipped byte") {
  temp_dir dir;
  auto image = synthetic_binlog({100, 200});
  image[event_offsets(image)[1] + 30] ^= 0xFF;
  write_bytes(dir / "b.000001", image);
  file_reader_options o;
  o.verify_checksums = false;
  auto reader = file_reader::open(dir / "b.000001", o);
  REQUIRE(reader);
  CHECK(read_everything(*reader).offsets.size() == 3);
}

TEST_CASE(
    "file_reader: a file cut inside an event is truncated at that event, and reads on once it "
    "grows") {
  temp_dir dir;
  auto image = synthetic_binlog({100, 5000, 300});
  const auto offsets = event_offsets(image);
  const std::size_t cut = offsets[2] + 1000;
  write_bytes(dir / "relay.000001", bytes_view(image).first(cut));
  auto reader = file_reader::open(dir / "relay.000001", small_buffer());
  REQUIRE(reader);
  REQUIRE(reader->next());
  REQUIRE(reader->next());
  auto cut_event = reader->next();
  REQUIRE_FALSE(cut_event);
  CHECK(cut_event.error().code == errc::truncated);
  CHECK_THAT(cut_event.error().message,
             Catch::Equals(
                 "relay.000001: event at offset " + std::to_string(offsets[2]) +
                 " (Rows_query, 5023 bytes) is truncated: the file ends after 1000 of its bytes"));
  CHECK(reader->good_end_offset() == offsets[2]);
  CHECK(reader->position() == offsets[2]);

  auto writer = file_writer::open_existing(dir / "relay.000001");
  REQUIRE(writer);
  REQUIRE(writer->append(bytes_view(image).subspan(cut)));
  REQUIRE(writer->flush());
  auto resumed = reader->next();
  REQUIRE(resumed);
  REQUIRE(*resumed);
  CHECK((*resumed)->offset == offsets[2]);
  REQUIRE(reader->next());
  CHECK(reader->next().value() == std::nullopt);
  CHECK(reader->good_end_offset() == image.size());
}

TEST_CASE("file_reader: a file cut inside an event header is truncated naming the offset") {
  temp_dir dir;
  auto image = synthetic_binlog({100});
  const auto offsets = event_offsets(image);
  write_bytes(dir / "b.000001", bytes_view(image).first(offsets[1] + 7));
  auto reader = file_reader::open(dir / "b.000001");
  REQUIRE(reader);
  REQUIRE(reader->next());
  auto r = reader->next();
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::truncated);
  CHECK_THAT(r.error().message, Catch::Contains("inside the event header at offset " +
                                                std::to_string(offsets[1]) + " (7 of 19 bytes)"));
}

TEST_CASE("file_reader: the magic tells binlogs, MySQL 8 encrypted binlogs and other files apart") {
  temp_dir dir;
  const std::uint8_t encrypted[] = {0xFD, 0x62, 0x69, 0x6E, 1, 2, 3};
  const std::uint8_t other[] = {'h', 'e', 'l', 'l', 'o'};
  const std::uint8_t short_file[] = {0xFE, 0x62};
  write_bytes(dir / "enc.000001", encrypted);
  write_bytes(dir / "other", other);
  write_bytes(dir / "short", short_file);
  write_bytes(dir / "empty.000001", binlog_magic);

  auto e = file_reader::open(dir / "enc.000001");
  REQUIRE_FALSE(e);
  CHECK(e.error().code == errc::encrypted);
  CHECK(e.error().message == "binlog file enc.000001 is encrypted (MySQL 8.0 keyring)");
  auto o = file_reader::open(dir / "other");
  REQUIRE_FALSE(o);
  CHECK(o.error().code == errc::corrupt);
  CHECK_THAT(o.error().message, Catch::Contains("not a binlog file"));
  auto s = file_reader::open(dir / "short");
  REQUIRE_FALSE(s);
  CHECK(s.error().code == errc::truncated);
  auto m = file_reader::open(dir / "missing");
  REQUIRE_FALSE(m);
  CHECK(m.error().code == errc::not_found);

  auto empty = file_reader::open(dir / "empty.000001");
  REQUIRE(empty);
  CHECK(empty->next().value() == std::nullopt);
  CHECK_FALSE(empty->has_format_description());
}

TEST_CASE("file_reader: an event claiming more than max_event_size is refused for good") {
  temp_dir dir;
  auto image = synthetic_binlog({100, 9000});
  write_bytes(dir / "b.000001", image);
  file_reader_options o = small_buffer();
  o.max_event_size = 8192;
  auto reader = file_reader::open(dir / "b.000001", o);
  REQUIRE(reader);
  REQUIRE(reader->next());
  REQUIRE(reader->next());
  auto r = reader->next();
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::too_large);
  auto again = reader->next();
  REQUIRE_FALSE(again);
  CHECK(again.error().message == r.error().message);
}

TEST_CASE("file_reader: an event size below 19 is corrupt") {
  temp_dir dir;
  auto image = synthetic_binlog({100});
  store_u32(image.data() + event_offsets(image)[1] + 9, 12);
  write_bytes(dir / "b.000001", image);
  auto reader = file_reader::open(dir / "b.000001");
  REQUIRE(reader);
  REQUIRE(reader->next());
  auto r = reader->next();
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::corrupt);
  CHECK_THAT(r.error().message, Catch::StartsWith("b.000001: event at offset "));
}

TEST_CASE("file_reader: the header-only scan sees every event and skips large bodies") {
  temp_dir dir;
  auto image = synthetic_binlog({100, 50000, 10, 300000, 20});
  write_bytes(dir / "b.000001", image);
  file_reader_options o = small_buffer();
  o.verify_checksums = false;
  auto reader = file_reader::open(dir / "b.000001", o);
  REQUIRE(reader);
  std::vector<std::uint64_t> offsets;
  for (;;) {
    auto pos = reader->next_header();
    REQUIRE(pos);
    if (!*pos) break;
    offsets.push_back((*pos)->offset);
  }
  CHECK(offsets == event_offsets(image));
  CHECK(reader->buffer_capacity() == 4096);
  CHECK(reader->format().checksum == checksum_alg::crc32);
}

TEST_CASE("file_reader: the header-only scan reports a body cut short") {
  temp_dir dir;
  auto image = synthetic_binlog({100, 50000});
  write_bytes(dir / "b.000001", bytes_view(image).first(image.size() - 10));
  file_reader_options o = small_buffer();
  o.verify_checksums = false;
  auto reader = file_reader::open(dir / "b.000001", o);
  REQUIRE(reader);
  REQUIRE(reader->next_header());
  REQUIRE(reader->next_header());
  auto r = reader->next_header();
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::truncated);
}

TEST_CASE("file_reader: seek keeps the FDE and continues at the given event") {
  temp_dir dir;
  auto image = synthetic_binlog({100, 200, 300});
  const auto offsets = event_offsets(image);
  write_bytes(dir / "b.000001", image);
  auto reader = file_reader::open(dir / "b.000001");
  REQUIRE(reader);
  REQUIRE(reader->next());
  REQUIRE(reader->seek(offsets[3]));
  auto ev = reader->next();
  REQUIRE(ev);
  REQUIRE(*ev);
  CHECK((*ev)->offset == offsets[3]);
  CHECK((*ev)->body(reader->format()).size() == 300);
  CHECK_FALSE(reader->seek(2));
}

}  // namespace binrelay::binlog
