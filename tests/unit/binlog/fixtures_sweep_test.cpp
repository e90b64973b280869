// Every real binlog in ../shared/fixtures, read by file_reader and checked against its
// MANIFEST.tsv row: event counts by type, CRC32s, payload contents, and the error each
// damaged, encrypted or legacy file must produce.

#include <catch2/catch.hpp>

#include <map>
#include <regex>
#include <sstream>
#include <string>

#include "binlog/file_reader.h"
#include "binlog/transaction_payload.h"
#include "support/fixtures.h"

namespace binrelay::binlog {
namespace {

using counts = std::map<std::string, std::uint64_t>;

// MANIFEST.tsv's name for each type code (its own vocabulary, not mysqlbinlog's).
std::string manifest_name(std::uint8_t code) {
  static const std::map<int, std::string> names = {{1, "START_V3"},
                                                   {2, "QUERY"},
                                                   {3, "STOP"},
                                                   {4, "ROTATE"},
                                                   {5, "INTVAR"},
                                                   {6, "LOAD"},
                                                   {7, "SLAVE"},
                                                   {8, "CREATE_FILE"},
                                                   {9, "APPEND_BLOCK"},
                                                   {10, "EXEC_LOAD"},
                                                   {11, "DELETE_FILE"},
                                                   {12, "NEW_LOAD"},
                                                   {13, "RAND"},
                                                   {14, "USER_VAR"},
                                                   {15, "FORMAT_DESCRIPTION"},
                                                   {16, "XID"},
                                                   {17, "BEGIN_LOAD_QUERY"},
                                                   {18, "EXECUTE_LOAD_QUERY"},
                                                   {19, "TABLE_MAP"},
                                                   {20, "PRE_GA_WRITE_ROWS"},
                                                   {21, "PRE_GA_UPDATE_ROWS"},
                                                   {22, "PRE_GA_DELETE_ROWS"},
                                                   {23, "WRITE_ROWS_V1"},
                                                   {24, "UPDATE_ROWS_V1"},
                                                   {25, "DELETE_ROWS_V1"},
                                                   {26, "INCIDENT"},
                                                   {27, "HEARTBEAT"},
                                                   {28, "IGNORABLE"},
                                                   {29, "ROWS_QUERY"},
                                                   {30, "WRITE_ROWS_V2"},
                                                   {31, "UPDATE_ROWS_V2"},
                                                   {32, "DELETE_ROWS_V2"},
                                                   {33, "GTID"},
                                                   {34, "ANONYMOUS_GTID"},
                                                   {35, "PREVIOUS_GTIDS"},
                                                   {36, "TRANSACTION_CONTEXT"},
                                                   {37, "VIEW_CHANGE"},
                                                   {38, "XA_PREPARE"},
                                                   {39, "PARTIAL_UPDATE_ROWS"},
                                                   {40, "TRANSACTION_PAYLOAD"},
                                                   {41, "HEARTBEAT_V2"},
                                                   {42, "GTID_TAGGED"},
                                                   {160, "MARIA_ANNOTATE_ROWS"},
                                                   {161, "MARIA_BINLOG_CHECKPOINT"},
                                                   {162, "MARIA_GTID"},
                                                   {163, "MARIA_GTID_LIST"},
                                                   {164, "MARIA_START_ENCRYPTION"},
                                                   {165, "MARIA_QUERY_COMPRESSED"},
                                                   {166, "MARIA_WRITE_ROWS_COMPRESSED_V1"},
                                                   {167, "MARIA_UPDATE_ROWS_COMPRESSED_V1"},
                                                   {168, "MARIA_DELETE_ROWS_COMPRESSED_V1"},
                                                   {169, "MARIA_WRITE_ROWS_COMPRESSED"},
                                                   {170, "MARIA_UPDATE_ROWS_COMPRESSED"},
                                                   {171, "MARIA_DELETE_ROWS_COMPRESSED"}};
  auto it = names.find(code);
  return it != names.end() ? it->second : "TYPE_" + std::to_string(code);
}

counts parse_counts(const std::string& text) {
  counts out;
  std::istringstream in(text);
  std::string kv;
  while (in >> kv) {
    auto eq = kv.find('=');
    if (eq != std::string::npos) out[kv.substr(0, eq)] = std::stoull(kv.substr(eq + 1));
  }
  return out;
}

std::uint64_t number_after(const std::string& text, const std::string& pattern) {
  std::smatch m;
  REQUIRE(std::regex_search(text, m, std::regex(pattern)));
  return std::stoull(m[1]);
}

void count_payload(const raw_event& ev, const format_description& fde, counts& inner) {
  auto payload = decode_transaction_payload_event(ev.header, ev.body(fde), fde);
  REQUIRE(payload);
  auto events = decompress_transaction_payload(*payload);
  REQUIRE(events);
  payload_event_iterator it(*events);
  for (;;) {
    auto e = it.next();
    REQUIRE(e);
    if (!*e) break;
    inner[manifest_name(std::uint8_t((*e)->header.type))]++;
  }
}

struct sweep {
  counts types;
  counts inner;
  std::uint64_t total = 0;
  std::uint64_t good_end = 0;
  std::vector<error> errors;
};

// The header-only scan: counts by type, without bodies or checksums.
counts scan_headers(const test::fixture& f) {
  file_reader_options options;
  options.verify_checksums = false;
  auto reader = file_reader::open(f.path, options);
  REQUIRE(reader);
  counts types;
  for (;;) {
    auto pos = reader->next_header();
    REQUIRE(pos);
    if (!*pos) break;
    types[manifest_name(std::uint8_t((*pos)->header.type))]++;
  }
  return types;
}

// Reads to the end, continuing after checksum mismatches; stops at any other error.
sweep read_all(const test::fixture& f, file_reader_options options = {}) {
  sweep s;
  auto reader = file_reader::open(f.path, options);
  if (!reader) {
    s.errors.push_back(reader.error());
    return s;
  }
  for (;;) {
    auto ev = reader->next();
    if (!ev) {
      s.errors.push_back(ev.error());
      if (ev.error().code == errc::checksum_mismatch) continue;
      break;
    }
    if (!*ev) break;
    ++s.total;
    s.types[manifest_name(std::uint8_t((*ev)->header.type))]++;
    if ((*ev)->header.type == event_type::transaction_payload)
      count_payload(**ev, reader->format(), s.inner);
  }
  s.good_end = reader->good_end_offset();
  return s;
}

std::vector<test::fixture> fixtures_expecting(const std::string& expect) {
  std::vector<test::fixture> out;
  for (const auto& f : test::all_fixtures()) {
    if (f.expect == expect) out.push_back(f);
  }
  REQUIRE_FALSE(out.empty());
  return out;
}

}  // namespace

TEST_CASE("fixtures sweep: every ok file reads whole with matching event counts and CRC32s") {
  for (const auto& f : fixtures_expecting("ok")) {
    INFO(f.name);
    sweep s = read_all(f);
    std::string errors;
    for (const auto& e : s.errors) errors += e.describe() + "\n";
    INFO(errors);
    REQUIRE(s.errors.empty());
    CHECK(s.types == f.event_counts);
    CHECK(s.total == f.event_total);
    CHECK(s.inner == parse_counts(f.columns.at("transaction_payload_inner_counts")));
    CHECK(s.good_end == f.size);
    CHECK(scan_headers(f) == f.event_counts);
  }
}

TEST_CASE("fixtures sweep: a corrupt file reports the bad event's offset, and the rest reads on") {
  for (const auto& f : fixtures_expecting("corrupt")) {
    INFO(f.name);
    const auto bad_offset = number_after(f.columns.at("parse_status"), R"(CRC mismatch @(\d+))");
    sweep s = read_all(f);
    REQUIRE(s.errors.size() == 1);
    CHECK(s.errors[0].code == errc::checksum_mismatch);
    CHECK_THAT(s.errors[0].message,
               Catch::Contains("event at offset " + std::to_string(bad_offset) + " ("));
    CHECK_THAT(s.errors[0].message, Catch::Contains("fails its CRC32 check"));
    CHECK(s.total + 1 == f.event_total);

    file_reader_options skip;
    skip.skip_bad_events = true;
    sweep forced = read_all(f, skip);
    CHECK(forced.errors.empty());
    CHECK(forced.total + 1 == f.event_total);
  }
}

TEST_CASE("fixtures sweep: a truncated file stops with a truncated error naming the offset") {
  for (const auto& f : fixtures_expecting("truncated")) {
    INFO(f.name);
    const auto offset = number_after(f.columns.at("parse_status"), R"(at (\d+))");
    sweep s = read_all(f);
    REQUIRE(s.errors.size() == 1);
    CHECK(s.errors[0].code == errc::truncated);
    CHECK_THAT(s.errors[0].message, Catch::Contains("offset " + std::to_string(offset)));
    CHECK_THAT(s.errors[0].message, Catch::StartsWith(f.path.filename().string() + ": "));
  }
}

TEST_CASE("fixtures sweep: an encrypted file fails with errc::encrypted") {
  for (const auto& f : fixtures_expecting("encrypted")) {
    INFO(f.name);
    sweep s = read_all(f);
    REQUIRE(s.errors.size() == 1);
    CHECK(s.errors[0].code == errc::encrypted);
    CHECK_THAT(s.errors[0].message, Catch::Contains("encrypted"));
  }
}

TEST_CASE("fixtures sweep: a binlog format v1/v3 file fails with errc::unsupported") {
  for (const auto& f : fixtures_expecting("legacy")) {
    INFO(f.name);
    sweep s = read_all(f);
    REQUIRE(s.errors.size() == 1);
    CHECK(s.errors[0].code == errc::unsupported);
    CHECK_THAT(s.errors[0].message, Catch::Contains("format v"));
  }
}

TEST_CASE("fixtures sweep: a file without an FDE reads with the default one") {
  for (const auto& f : fixtures_expecting("no-fde")) {
    INFO(f.name);
    auto reader = file_reader::open(f.path);
    REQUIRE(reader);
    counts types;
    for (;;) {
      auto ev = reader->next();
      REQUIRE(ev);
      if (!*ev) break;
      types[manifest_name(std::uint8_t((*ev)->header.type))]++;
    }
    CHECK_FALSE(reader->has_format_description());
    CHECK(types == f.event_counts);
    CHECK(reader->good_end_offset() == f.size);
  }
}

}  // namespace binrelay::binlog
