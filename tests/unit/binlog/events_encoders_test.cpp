// Encoders produce events that verify and decode back to what was encoded; format
// description helpers behave on a table of named cases.

#include <catch2/catch.hpp>

#include "binlog/checksum.h"
#include "binlog/event.h"
#include "binlog/event_encoders.h"
#include "events_test_support.h"

namespace binrelay::binlog {
namespace {

format_description crc_fde(bool mariadb) {
  auto f = default_format_description(mariadb);
  f.checksum = checksum_alg::crc32;
  return f;
}

template <class T>
T decode_as(const event_bytes& ev, const format_description& fde) {
  REQUIRE(verify_event_checksum(ev, fde.checksum));
  auto d = decode_event(ev, fde);
  REQUIRE(d);
  CHECK(d->header.event_size == ev.size());
  REQUIRE(std::holds_alternative<T>(d->body));
  return std::get<T>(d->body);
}

TEST_CASE("events: heartbeat v1 and v2 round-trip", "[events][encoders]") {
  auto fde = crc_fde(false);
  heartbeat_event v1{false, "binlog.000007", 1234};
  auto ev1 = encode_heartbeat_event({}, v1, fde.checksum);
  auto d1 = decode_as<heartbeat_event>(ev1, fde);
  CHECK(d1.log_filename == "binlog.000007");
  CHECK(d1.log_position == 1234);
  CHECK_FALSE(d1.v2);

  for (std::uint64_t pos : {4ull, 250ull, 70000ull, 5000000000ull}) {
    heartbeat_event v2{true, "binlog.000042", pos};
    auto ev2 = encode_heartbeat_event({}, v2, fde.checksum);
    CHECK(ev2[4] == static_cast<std::uint8_t>(event_type::heartbeat_v2));
    auto d2 = decode_as<heartbeat_event>(ev2, fde);
    CHECK(d2.v2);
    CHECK(d2.log_filename == "binlog.000042");
    CHECK(d2.log_position == pos);
    CHECK(encode_heartbeat_event({}, d2, fde.checksum) == ev2);
  }
}

TEST_CASE("events: a GTID with every optional field round-trips byte-exact", "[events][encoders]") {
  auto fde = crc_fde(false);
  gtid_event g;
  g.flags = 0;
  g.sid = *gtid::uuid::parse("3e11fa47-71ca-11e1-9e33-c80aa9429562");
  g.gno = 23;
  g.lt_type = logical_timestamp_typecode;
  g.last_committed = 7;
  g.sequence_number = 8;
  g.immediate_commit_timestamp = 1700000000123456;
  g.original_commit_timestamp = 1690000000000001;
  g.transaction_length = 70000;  // a 3-byte lenenc
  g.immediate_server_version = 80035;
  g.original_server_version = 50744;
  g.commit_group_ticket = 99;
  event_header h{1700000000, event_type::gtid, 5, 0, 1000, 0};
  auto ev = encode_gtid_event(h, g, fde.checksum);
  auto d = decode_as<gtid_event>(ev, fde);
  CHECK(d.sid == g.sid);
  CHECK(d.gno == 23);
  CHECK(d.sequence_number == 8);
  CHECK(d.original_commit_timestamp == g.original_commit_timestamp);
  CHECK(d.immediate_commit_timestamp == g.immediate_commit_timestamp);
  CHECK(d.transaction_length == 70000);
  CHECK(d.original_server_version == 50744u);
  CHECK(d.commit_group_ticket == 99u);
  CHECK(d.trailing.empty());
  CHECK(encode_gtid_event(h, d, fde.checksum) == ev);
}

TEST_CASE("events: MySQL empty transaction is GTID, BEGIN, COMMIT with chained positions",
          "[events][encoders]") {
  auto fde = crc_fde(false);
  gtid_event g;
  g.sid = *gtid::uuid::parse("3e11fa47-71ca-11e1-9e33-c80aa9429562");
  g.gno = 42;
  g.lt_type = logical_timestamp_typecode;
  g.sequence_number = 1;
  empty_transaction t{1700000000, 9, 1000, 0};
  auto bytes = encode_mysql_empty_transaction(t, g, fde.checksum);
  std::vector<std::uint8_t> file = {0xFE, 0x62, 0x69, 0x6E};
  file.insert(file.end(), bytes.begin(), bytes.end());
  auto evs = test::walk_events(file);
  REQUIRE(evs.size() == 3);
  CHECK(evs[0].header.type == event_type::gtid);
  std::uint64_t end = 1000;
  std::vector<std::string> texts;
  for (const auto& e : evs) {
    end += e.bytes.size();
    CHECK(e.header.log_pos == end);
    CHECK(e.header.server_id == 9);
    REQUIRE(verify_event_checksum(e.bytes, fde.checksum));
    auto d = decode_event(e.bytes, fde);
    REQUIRE(d);
    if (auto* q = std::get_if<query_event>(&d->body)) {
      texts.emplace_back(q->text());
      CHECK(q->status.catalog == "std");
      CHECK(q->db.empty());
    }
  }
  CHECK(end == 1000 + bytes.size());
  CHECK(texts == std::vector<std::string>{"BEGIN", "COMMIT"});
}

TEST_CASE("events: MariaDB empty transaction is a non-standalone GTID then COMMIT",
          "[events][encoders]") {
  auto fde = crc_fde(true);
  mariadb_gtid_event g;
  g.seq_no = 100;
  g.domain_id = 3;
  g.flags2 = mariadb_fl_standalone | mariadb_fl_allow_parallel;
  empty_transaction t{1700000000, 9, 4, 0};
  auto bytes = encode_mariadb_empty_transaction(t, g, fde.checksum);
  std::vector<std::uint8_t> file = {0xFE, 0x62, 0x69, 0x6E};
  file.insert(file.end(), bytes.begin(), bytes.end());
  auto evs = test::walk_events(file);
  REQUIRE(evs.size() == 2);
  auto d0 = decode_event(evs[0].bytes, fde);
  REQUIRE(d0);
  auto& gd = std::get<mariadb_gtid_event>(d0->body);
  CHECK(gd.gtid() == gtid::mariadb_gtid{3, 9, 100});
  CHECK((gd.flags2 & mariadb_fl_standalone) == 0);
  CHECK(evs[1].header.log_pos == 4 + bytes.size());
  auto d1 = decode_event(evs[1].bytes, fde);
  REQUIRE(d1);
  CHECK(std::get<query_event>(d1->body).text() == "COMMIT");
}

TEST_CASE("events: FDE, rotate and previous GTIDs encoders decode back", "[events][encoders]") {
  auto fde = crc_fde(false);
  fde.server_version = "8.0.35";
  event_header h{1700000000, event_type::unknown, 1, 0, 0, flag_binlog_in_use};
  auto fev = encode_format_description_event(h, fde);
  auto f = decode_format_description(fev);
  REQUIRE(f);
  CHECK(f->checksum == checksum_alg::crc32);
  CHECK(f->post_header_len == fde.post_header_len);
  CHECK(verify_event_checksum(fev, checksum_alg::crc32));

  auto rev =
      encode_rotate_event({0, {}, 1, 0, 0, flag_artificial}, {4, "binlog.000002"}, fde.checksum);
  auto r = decode_as<rotate_event>(rev, fde);
  CHECK(r.position == 4);
  CHECK(r.new_log_name == "binlog.000002");

  auto set = *gtid::gtid_set::parse("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7");
  auto pev = encode_previous_gtids_event({}, set, fde.checksum);
  CHECK(decode_as<previous_gtids_event>(pev, fde).gtids == set);

  mariadb_gtid_list_event empty;
  auto lev = encode_mariadb_gtid_list_event({}, empty, fde.checksum);
  CHECK(lev.size() == event_header_size + 6 + checksum_size);  // MariaDB's padded empty list
}

TEST_CASE("events: format description helpers", "[events][fde]") {
  struct version_case {
    const char* text;
    std::array<int, 3> triple;
    bool has_alg;
  };
  const version_case cases[] = {
      {"5.7.30-log", {5, 7, 30}, true},
      {"5.6.0", {5, 6, 0}, false},
      {"5.6.1", {5, 6, 1}, true},
      {"5.5.36-MariaDB-debug-log", {5, 5, 36}, true},
      {"5.2.10-MariaDB", {5, 2, 10}, false},
      {"10.11.6-MariaDB-log", {10, 11, 6}, true},
      {"8.0.32-tr-debug", {8, 0, 32}, true},
      {"garbage", {0, 0, 0}, false},
      {"", {0, 0, 0}, false},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    format_description f;
    f.server_version = c.text;
    CHECK(f.version_triple() == c.triple);
    CHECK(fde_has_checksum_alg(c.text) == c.has_alg);
  }
  auto my = default_format_description(false);
  CHECK(my.post_header_length(event_type::query) == 13);
  CHECK(my.post_header_length(event_type::gtid) == 42);
  CHECK(my.post_header_length(event_type::transaction_payload) == 40);
  CHECK(my.checksum == checksum_alg::off);
  auto ma = default_format_description(true);
  CHECK(ma.is_mariadb());
  CHECK(ma.post_header_length(event_type::mariadb_gtid) == 19);
  CHECK(ma.post_header_length(event_type::mariadb_query_compressed) == 13);
  CHECK(ma.post_header_length(event_type::mariadb_write_rows_compressed) == 10);
}

}  // namespace
}  // namespace binrelay::binlog
