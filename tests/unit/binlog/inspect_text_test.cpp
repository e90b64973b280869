// What binrelay-inspect prints beyond the rows: mysqlbinlog 9.7's string quoting, the FDE line,
// and the event selection of event_filter, on the real binlogs of ../shared/fixtures.

#include <catch2/catch.hpp>

#include <string>

#include "binlog/event_filter.h"
#include "binlog/file_reader.h"
#include "binlog/json_printer.h"
#include "binlog/row_format.h"
#include "binlog/text_printer.h"
#include "support/fixtures.h"

namespace binrelay::binlog {
namespace {

using binrelay::test::fixtures_dir;

// Prints a whole file through `filter`; returns the output.
std::string print_file(const std::filesystem::path& path, event_filter& filter,
                       text_options options = {}) {
  std::string out;
  text_printer printer(out, options);
  auto reader = file_reader::open(path);
  REQUIRE(reader);
  printer.begin();
  filter.begin_file(true, true);
  while (true) {
    auto ev = reader->next();
    REQUIRE(ev);
    if (!*ev) break;
    const filter_verdict v = filter.check(**ev, reader->format());
    if (v == filter_verdict::stop) break;
    if (v == filter_verdict::skip) continue;
    (void)printer.print(**ev, reader->format());
  }
  printer.end();
  return out;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

const char* const go_parse = "ChaosHour__go-parse/tests/mysql-bin.000012";  // 5.7, 123 GTIDs

}  // namespace

TEST_CASE("inspect: MySQL quoting escapes as mysqlbinlog 9.7 does") {
  std::string in;
  for (int b = 0; b < 0x20; ++b) in.push_back(char(b));
  in += "'\"\\\x7f\x80\xff";
  std::string out;
  append_quoted_mysql(as_bytes(in), out);
  // Copied from mysqlbinlog 9.7.4's output for the same bytes.
  CHECK(out ==
        "'\\x00\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\b\\t\\n\\x0b\\f\\r\\x0e\\x0f\\x10\\x11\\x12"
        "\\x13\\x14\\x15\\x16\\x17\\x18\\x19\\x1a\\x1b\\x1c\\x1d\\x1e\\x1f\\'\"\\\\\x7f\x80\xff'");
  out.clear();
  append_quoted_mysql(as_bytes(std::string_view("plain text over eight bytes")), out);
  CHECK(out == "'plain text over eight bytes'");
}

// The quoting scans 16 (or 8) bytes at a time: a byte to escape is found at every offset of a
// long value, by both quoting styles, and nothing else is changed.
TEST_CASE("inspect: quoting escapes a byte at any offset of a long value") {
  const std::pair<char, std::string_view> mysql_escapes[] = {
      {'\'', "\\'"}, {'\\', "\\\\"}, {'\n', "\\n"}, {'\x01', "\\x01"}};
  for (std::size_t at = 0; at < 40; ++at) {
    for (const auto& [byte, escaped] : mysql_escapes) {
      std::string in(40, 'x');
      in[at] = byte;
      INFO("offset " << at << ", byte " << int(byte));
      std::string out;
      append_quoted_mysql(as_bytes(in), out);
      CHECK(out == "'" + in.substr(0, at) + std::string(escaped) + in.substr(at + 1) + "'");
      out.clear();
      append_quoted(as_bytes(in), out);  // mariadb-binlog: control bytes only
      const bool control = static_cast<unsigned char>(byte) < 0x20;
      CHECK(out == "'" + in.substr(0, at) +
                       (control && byte == '\n' ? "\\x0a"
                        : control               ? "\\x01"
                                                : std::string(1, byte)) +
                       in.substr(at + 1) + "'");
    }
  }
}

// JSON text is rendered straight into the output and quoted there; a backslash in it (from the
// document, or an escaped quote) is escaped like any string byte.
TEST_CASE("inspect: a JSON value's text is quoted after rendering") {
  column_info c;
  c.type = column_type::json;
  column_value v;
  v.kind = value_kind::json;
  const std::uint8_t bare[] = {0x0c, 4, 'a', '\\', '\'', 'b'};  // top-level string: printed bare
  v.bytes = bytes_view(bare, sizeof bare);
  std::string out = "@1=";
  format_value(c, v, out, 1, quote_style::mysql);
  CHECK(out == "@1='a\\\\\\'b'");
  out.clear();
  format_value(c, v, out, 1, quote_style::mariadb);
  CHECK(out == "'a\\'b'");
  const std::uint8_t plain[] = {0x0c, 5, 'p', 'l', 'a', 'i', 'n'};
  v.bytes = bytes_view(plain, sizeof plain);
  out.clear();
  format_value(c, v, out, 1, quote_style::mysql);
  CHECK(out == "'plain'");
  const std::uint8_t bad[] = {0x0c, 9, 'x'};  // length beyond the document
  v.bytes = bytes_view(bad, sizeof bad);
  out.clear();
  format_value(c, v, out, 1, quote_style::mysql);
  CHECK(out == "'<invalid JSON>'");
}

TEST_CASE("inspect: no fixture's FDE line says it was created in 1970") {
  std::size_t files = 0;
  for (const auto& f : binrelay::test::all_fixtures()) {
    if (f.expect != "ok") continue;
    event_filter none({});
    const std::string text = print_file(f.path, none);
    INFO(f.name);
    CHECK(text.find("created 700101") == std::string::npos);
    CHECK(text.find("created 691231") == std::string::npos);
    ++files;
  }
  CHECK(files > 50);
}

TEST_CASE("inspect: --include-gtids and --exclude-gtids keep or drop whole transactions") {
  event_filter none({});
  const std::string all = print_file(fixtures_dir() / go_parse, none);
  const std::string next = "SET @@SESSION.GTID_NEXT= '";
  const std::size_t begin = all.find(next) + next.size();
  const std::string uuid = all.substr(begin, 36);
  const std::uint64_t first = std::stoull(all.substr(begin + 37));
  const std::size_t gtids = count(all, next + uuid);
  REQUIRE(gtids > 100);
  const std::string two_gtids =
      uuid + ":" + std::to_string(first + 1) + "-" + std::to_string(first + 2);

  event_filter_options include;
  include.include_gtids = *gtid::gtid_set::parse(two_gtids);
  event_filter two(include);
  const std::string some = print_file(fixtures_dir() / go_parse, two);
  CHECK(count(some, next + uuid) == 2);
  CHECK(count(some, next + two_gtids.substr(0, two_gtids.find('-', 37)) + "'") == 1);
  CHECK(count(some, "COMMIT/*!*/;") == 2);
  CHECK(count(some, "Start: binlog v 4") == 1);  // the FDE always prints

  event_filter_options exclude;
  exclude.exclude_gtids = *gtid::gtid_set::parse(two_gtids);
  event_filter rest(exclude);
  const std::string others = print_file(fixtures_dir() / go_parse, rest);
  CHECK(count(others, next + uuid) == gtids - 2);
  CHECK(count(others, "COMMIT/*!*/;") == count(all, "COMMIT/*!*/;") - 2);
}

TEST_CASE(
    "inspect: positions select the events from the start offset to before the stop offset, and the "
    "FDE always prints") {
  event_filter_options o;
  o.start_position = 1000;
  o.stop_position = 3000;
  event_filter window(o);
  const std::string some = print_file(fixtures_dir() / go_parse, window);
  CHECK(some.find("# at 4\n") != std::string::npos);
  for (auto at = some.find("# at "); at != std::string::npos; at = some.find("# at ", at + 1)) {
    const std::uint64_t pos = std::stoull(some.substr(at + 5));
    if (pos != 4) CHECK((pos >= 1000 && pos < 3000));
  }
  CHECK(count(some, "# at ") > 3);
}

TEST_CASE("inspect: base64 AUTO puts a statement's Table_map and rows events in one BINLOG block") {
  event_filter none({});
  text_options verbose;
  verbose.verbosity = 2;
  const std::string text = print_file(fixtures_dir() / go_parse, none, verbose);
  // One BINLOG block for the FDE and one per rows statement; each followed by its row count.
  CHECK(count(text, "\nBINLOG '\n") == 1 + count(text, "# Number of rows: "));
  CHECK(count(text, "### UPDATE ") > 0);
  CHECK(text.rfind("DELIMITER ;\n# End of log file\n") != std::string::npos);
}

TEST_CASE("inspect: --json lists a MariaDB Gtid_list's GTIDs") {
  auto reader = file_reader::open(fixtures_dir() /
                                  "Osso__mariadb-mysql-cdc/fixtures/mixed-binlog/mysql-bin.000002");
  REQUIRE(reader);
  std::string out;
  json_printer printer(out);
  while (true) {
    auto ev = reader->next();
    REQUIRE(ev);
    if (!*ev) break;
    REQUIRE(printer.print(**ev, reader->format()));
  }
  CHECK_THAT(out, Catch::Contains("\"type\":\"Gtid_list\"") &&
                      Catch::Contains("\"gtid_list\":[\"0-17-10\"]"));
  CHECK_THAT(out, Catch::Contains("\"log_name\":\"mysql-bin.000001\""));
}

}  // namespace binrelay::binlog
