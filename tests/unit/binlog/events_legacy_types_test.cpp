// Binlogs of MySQL's 5.1.1-5.2.2 development trees number event types 16..22 differently
// (format_description::legacy_type_numbers). MySQL's ver_5_1-wl2325_{r,s}.001 test binlogs,
// written by 5.2.2-a_drop6p13, are such files.

#include <catch2/catch.hpp>

#include "binlog/event.h"
#include "events_test_support.h"

namespace binrelay::binlog {
namespace {

struct legacy_file {
  std::vector<std::uint8_t> image;
  std::vector<test::walked_event> events;
  format_description fde;
};

legacy_file load(const std::string& suffix) {
  legacy_file f;
  f.image = test::read_file(test::fixture_named(suffix).path);
  f.events = test::walk_events(f.image);
  REQUIRE(!f.events.empty());
  auto fde = decode_format_description(f.events.front().bytes);
  REQUIRE(fde);
  f.fde = *fde;
  return f;
}

TEST_CASE("legacy type numbers: recognised from the development-tree server versions") {
  CHECK(has_legacy_type_numbers("5.2.2-a_drop6p13-debug-log"));
  CHECK(has_legacy_type_numbers("5.1.4-a_drop5p18"));
  CHECK(has_legacy_type_numbers("5.1.4-a_drop6p0"));
  CHECK(has_legacy_type_numbers("5.2.0-a_drop6p3"));
  CHECK_FALSE(has_legacy_type_numbers("5.1.2-a_drop6p1"));
  CHECK_FALSE(has_legacy_type_numbers("5.1.6-a_drop5p1"));
  CHECK_FALSE(has_legacy_type_numbers("5.1.1-alpha"));
  CHECK_FALSE(has_legacy_type_numbers("5.1.23-rc-log"));
  CHECK_FALSE(has_legacy_type_numbers("10.11.6-MariaDB"));
}

TEST_CASE("legacy type numbers: on-disk 16..22 map to standard types and post-headers") {
  auto f = load("ver_5_1-wl2325_s.001");
  REQUIRE(f.fde.legacy_type_numbers);
  CHECK(f.fde.canonical_type(event_type(16)) == event_type::table_map);
  CHECK(f.fde.canonical_type(event_type(17)) == event_type(20));
  CHECK(f.fde.canonical_type(event_type(19)) == event_type(22));
  CHECK(f.fde.canonical_type(event_type(20)) == event_type::xid);
  CHECK(f.fde.canonical_type(event_type(22)) == event_type(18));
  CHECK(f.fde.canonical_type(event_type::query) == event_type::query);
  // The file lists TABLE_MAP's 6-byte post-header at on-disk position 16, XID's 0 at 20.
  CHECK(f.fde.post_header_length(event_type::table_map) == 6);
  CHECK(f.fde.post_header_length(event_type::xid) == 0);
  CHECK(f.fde.post_header_length(event_type(18)) == 26);  // EXECUTE_LOAD_QUERY
  auto standard = default_format_description(false);
  CHECK_FALSE(standard.legacy_type_numbers);
  CHECK(standard.canonical_type(event_type(20)) == event_type(20));
}

TEST_CASE("legacy type numbers: the statement file's type-20 event is an XID") {
  auto f = load("ver_5_1-wl2325_s.001");
  const test::walked_event* at_411 = nullptr;
  for (const auto& ev : f.events) {
    if (ev.offset == 411) at_411 = &ev;
  }
  REQUIRE(at_411 != nullptr);
  CHECK(static_cast<int>(at_411->header.type) == 20);
  auto d = decode_event(at_411->bytes, f.fde);
  REQUIRE(d);
  CHECK(d->header.type == event_type::xid);
  auto* xid = std::get_if<xid_event>(&d->body);
  REQUIRE(xid != nullptr);
  CHECK(xid->xid == 16);
}

TEST_CASE("legacy type numbers: the row file's table maps and pre-GA rows events decode") {
  auto f = load("ver_5_1-wl2325_r.001");
  int maps = 0, rows = 0, updates = 0;
  for (const auto& ev : f.events) {
    auto d = decode_event(ev.bytes, f.fde);
    INFO("offset " << ev.offset);
    REQUIRE(d);
    if (auto* m = std::get_if<table_map_event>(&d->body)) {
      ++maps;
      CHECK(m->db == "test");
      CHECK(m->table == "t1");
      CHECK(m->columns.size() == 2);
    }
    if (auto* r = std::get_if<rows_event>(&d->body)) {
      ++rows;
      CHECK(r->version == 0);
      CHECK(r->width == 2);
      CHECK(r->flags == rows_flag_stmt_end);
      // One bitmap for both images: the rows start right after it.
      CHECK(r->columns_after.data() == r->columns_before.data());
      CHECK(r->rows.size() == d->body_bytes.size() - (6 + 1 + 1));  // post-header, width, bitmap
      updates += r->kind == rows_kind::update;
    }
  }
  CHECK(maps == 3);
  CHECK(rows == 3);
  CHECK(updates == 1);
}

}  // namespace
}  // namespace binrelay::binlog
