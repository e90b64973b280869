// Rows written by a real MariaDB 10.11 for every column type it has, decoded and checked
// (1) against what SELECT returns for the same rows and (2) against mariadb-binlog's -vv
// text of the same file; with FULL, MINIMAL and NOBLOB row images and with compressed events.

#include <catch2/catch.hpp>

#include <map>

#include "binlog/decimal.h"
#include "binlog/row_values.h"
#include "binlog/temporal.h"
#include "rows_test_support.h"
#include "support/fixtures.h"
#include "support/mariadb_server.h"

namespace binrelay::binlog::test {
namespace {

using binrelay::test::mariadb_options;
using binrelay::test::mariadb_server;
using binrelay::test::read_file;

// Column name -> SELECT expression whose text our decoded value must equal.
const std::vector<std::pair<std::string, std::string>> all_types_columns = {
    {"ti", "TINYINT"},
    {"tiu", "TINYINT UNSIGNED"},
    {"si", "SMALLINT"},
    {"siu", "SMALLINT UNSIGNED"},
    {"mi", "MEDIUMINT"},
    {"miu", "MEDIUMINT UNSIGNED"},
    {"i", "INT"},
    {"iu", "INT UNSIGNED"},
    {"bi", "BIGINT"},
    {"biu", "BIGINT UNSIGNED"},
    {"d65", "DECIMAL(65,30)"},
    {"d52", "DECIMAL(5,2)"},
    {"d10", "DECIMAL(10,0)"},
    {"d189", "DECIMAL(18,9)"},
    {"d44", "DECIMAL(4,4)"},
    {"f", "FLOAT"},
    {"db", "DOUBLE"},
    {"b1", "BIT(1)"},
    {"b13", "BIT(13)"},
    {"b64", "BIT(64)"},
    {"dt", "DATE"},
    {"tm0", "TIME"},
    {"tm3", "TIME(3)"},
    {"tm6", "TIME(6)"},
    {"dtm0", "DATETIME"},
    {"dtm2", "DATETIME(2)"},
    {"dtm6", "DATETIME(6)"},
    {"ts0", "TIMESTAMP NULL"},
    {"ts4", "TIMESTAMP(4) NULL"},
    {"ts6", "TIMESTAMP(6) NULL"},
    {"y", "YEAR"},
    {"c10", "CHAR(10) CHARACTER SET latin1"},
    {"c10u", "CHAR(10) CHARACTER SET utf8mb4"},
    {"c255u", "CHAR(255) CHARACTER SET utf8mb4"},
    {"vc", "VARCHAR(20) CHARACTER SET latin1"},
    {"vcu", "VARCHAR(300) CHARACTER SET utf8mb4"},
    {"bn", "BINARY(4)"},
    {"vb", "VARBINARY(500)"},
    {"e", "ENUM('a','b','c')"},
    {"s", "SET('x','y','z')"},
    {"tb", "TINYBLOB"},
    {"tt", "TINYTEXT CHARACTER SET utf8mb4"},
    {"mb", "MEDIUMBLOB"},
    {"lt", "LONGTEXT CHARACTER SET utf8mb4"},
    {"bl", "BLOB"},
    {"j", "JSON"},
    {"g", "GEOMETRY"}};

const char* all_types_rows[] = {
    "(1, "
    "NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,"
    "NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,"
    "NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL)",
    "(2, -128,0,-32768,0,-8388608,0,-2147483648,0,-9223372036854775808,0,"
    "'-99999999999999999999999999999999999.999999999999999999999999999999',-999.99,-1,"
    "-0.000000001,-0.0001,-1.5,-2.25,0,0,0,'1000-01-01','-838:59:59','-00:00:00.001',"
    "'-12:34:56.000001','1000-01-01 00:00:00','1000-01-01 00:00:00.01',"
    "'1000-01-01 00:00:00.000001','1970-01-01 00:00:01','1970-01-01 00:00:01.0001',"
    "'1970-01-01 00:00:01.000001',1901,'','','','','',x'00',x'','a','','','','','','',"
    "'{}',ST_GeomFromText('POINT(0 0)'))",
    "(3, 127,255,32767,65535,8388607,16777215,2147483647,4294967295,9223372036854775807,"
    "18446744073709551615,'99999999999999999999999999999999999.999999999999999999999999999999',"
    "999.99,9999999999,123456789.123456789,0.9999,3.25e38,-1.7976931348623157e308,1,8191,"
    "18446744073709551615,'9999-12-31','838:59:59','12:00:00.5','00:00:00.999999',"
    "'9999-12-31 23:59:59','2020-02-29 12:34:56.78','9999-12-31 23:59:59.999999',"
    "'2038-01-19 03:14:07','2038-01-19 03:14:07.9999','2038-01-19 03:14:07.999999',2155,"
    "'abc''\\\\x','h\xc3\xa9llo \xf0\x9f\x98\x80','\xf0\x9f\x98\x80\xf0\x9f\x98\x81',"
    "'tab\\there','\xf0\x9f\x8e\x89 party \\n line',x'00ff10',x'0001027f80ff','c','x,y,z',"
    "x'000102',"
    "'t\xc3\xa9xt',REPEAT('ab', 2000000),REPEAT('\xf0\x9f\x98\x80', 3000),REPEAT('z', 65000),"
    "'{\"a\": [1, 2.5, \"x\", null, true], \"b\": {\"c\": -3}}',"
    "ST_GeomFromText('POLYGON((0 0,10 0,10 10,0 10,0 0))'))",
};

std::string create_all_types_sql() {
  std::string sql = "CREATE DATABASE d; CREATE TABLE d.t (id INT PRIMARY KEY";
  for (const auto& [name, type] : all_types_columns) sql += ", " + name + " " + type;
  return sql + ")";
}

std::string select_expr(const std::string& name, const std::string& type) {
  if (type.rfind("BIT", 0) == 0) return "CAST(" + name + " AS UNSIGNED)";
  if (type.rfind("TIMESTAMP", 0) == 0) return "UNIX_TIMESTAMP(" + name + ")";
  if (type.rfind("ENUM", 0) == 0 || type.rfind("SET", 0) == 0) return name + "+0";
  if (type.find("CHAR") != std::string::npos || type.find("BLOB") != std::string::npos ||
      type.find("TEXT") != std::string::npos || type.find("BINARY") != std::string::npos ||
      type == "JSON" || type == "GEOMETRY")
    return "HEX(" + name + ")";
  return name;
}

// Our decoded value in the text SELECT prints for select_expr(); "" for types compared only
// through mariadb-binlog (FLOAT, DOUBLE).
std::string as_select_text(const column_info& c, const column_value& v) {
  std::string out;
  switch (v.kind) {
    case value_kind::null:
      return "NULL";
    case value_kind::int_:
      return std::to_string(v.i);
    case value_kind::uint_:
      return std::to_string(v.u);
    case value_kind::decimal:
      format_decimal(v.bytes, c.meta >> 8, c.meta & 0xFF, out);
      return out;
    case value_kind::bit: {
      std::uint64_t n = 0;
      for (std::uint8_t b : v.bytes) n = n << 8 | b;
      return std::to_string(n);
    }
    case value_kind::date:
      append_date(v.t, out);
      return out;
    case value_kind::time:
      append_time(v.t, c.meta, out);
      return out;
    case value_kind::datetime:
      append_datetime(v.t, c.meta, out);
      return out;
    case value_kind::timestamp:
      out = std::to_string(v.u);
      append_fraction(v.t.micro, c.meta, out);
      return out;
    case value_kind::year:
      return v.u ? std::to_string(v.u + 1900) : "0";
    case value_kind::string:
    case value_kind::json:
    case value_kind::geometry: {
      static const char* hex = "0123456789ABCDEF";
      for (std::uint8_t b : v.bytes) {
        out.push_back(hex[b >> 4]);
        out.push_back(hex[b & 15]);
      }
      // BINARY(n) (collation 63) is logged without its trailing 0x00 padding.
      if (c.type == column_type::string && c.collation == 63)
        for (std::size_t i = v.bytes.size(); i < c.length; ++i) out += "00";
      return out;
    }
    default:
      return "";
  }
}

struct decoded_file {
  std::map<std::uint64_t, table_map_event> maps;
  std::vector<rows_event> events;
  std::vector<std::uint8_t> bytes;
  std::size_t compressed_events = 0;
};

// Decodes the table maps and rows events of a binlog file. The file bytes are kept alive
// in the result since the events point into them.
std::unique_ptr<decoded_file> decode_file(const std::filesystem::path& p) {
  auto f = std::make_unique<decoded_file>();
  f->bytes = read_file(p);
  format_description fde;
  for (const walked_event& e : walk_events(f->bytes, fde)) {
    if (e.header.type == event_type::table_map) {
      auto t = decode_table_map_event(e.header, e.body, fde);
      REQUIRE(t);
      f->maps.insert_or_assign(t->table_id, std::move(*t));
    } else if (is_rows_event(e.header.type)) {
      auto r = decode_rows_event(e.header, e.body, fde);
      INFO((r ? "" : r.error().message));
      REQUIRE(r);
      f->compressed_events += r->compressed;
      f->events.push_back(std::move(*r));
    }
  }
  return f;
}

void check_same_as_mariadb_binlog(const mariadb_server& srv) {
  for (const auto& file : srv.binlog_files()) {
    std::string mb = binrelay::test::run_command(
        "mariadb-binlog -vv --base64-output=decode-rows '" + file.string() + "'");
    std::string ours = render_rows(read_file(file));
    INFO(file.string());
    CHECK(ours == hash_lines(mb));
  }
}

}  // namespace

TEST_CASE("rows: MariaDB 10.11 values of every column type equal SELECT's and mariadb-binlog's") {
  mariadb_server srv(
      mariadb_options{1, true, {"--binlog-row-metadata=FULL", "--max-allowed-packet=64M"}});
  srv.query("SET GLOBAL time_zone='+00:00'");
  srv.query(create_all_types_sql());
  for (const char* row : all_types_rows)
    srv.query(std::string("SET NAMES utf8mb4; SET time_zone='+00:00'; INSERT INTO d.t VALUES ") +
              row);
  std::string select = "SET time_zone='+00:00'; SELECT id";
  for (const auto& [name, type] : all_types_columns) select += ", " + select_expr(name, type);
  auto expected = srv.rows(select + " FROM d.t ORDER BY id");
  REQUIRE(expected.size() == 3);
  srv.query("UPDATE d.t SET vc='upd', d52=1.5, j='[1]' WHERE id=2; DELETE FROM d.t WHERE id=3");

  auto file = decode_file(srv.binlog_files().back());
  std::size_t checked = 0;
  for (const rows_event& ev : file->events) {
    const table_map_event& map = file->maps.at(ev.table_id);
    if (ev.kind != rows_kind::write || map.table != "t") continue;
    row_reader reader(ev, map);
    row_change row;
    while (!reader.done()) {
      REQUIRE(reader.next(row));
      std::size_t id = std::size_t(row.after[0].i);
      REQUIRE(id >= 1);
      REQUIRE(id <= 3);
      for (std::size_t c = 1; c < map.columns.size(); ++c) {
        std::string ours = as_select_text(map.columns[c], row.after[c]);
        if (ours.empty()) continue;
        INFO("row " << id << " column " << map.columns[c].name);
        CHECK(ours == expected[id - 1][c]);
        ++checked;
      }
    }
  }
  CHECK(checked > 3 * 40);
  check_same_as_mariadb_binlog(srv);
}

TEST_CASE("rows: MariaDB MINIMAL and NOBLOB row images leave columns absent") {
  for (const char* image : {"MINIMAL", "NOBLOB"}) {
    mariadb_server srv(mariadb_options{1, true, {std::string("--binlog-row-image=") + image}});
    srv.query(
        "CREATE DATABASE d; CREATE TABLE d.m (id INT PRIMARY KEY, a INT, b BLOB, c VARCHAR(10))");
    srv.query("INSERT INTO d.m VALUES (1, 10, 'blob1', 'x'), (2, 20, NULL, 'y')");
    srv.query("UPDATE d.m SET a = a + 1; DELETE FROM d.m WHERE id = 2");
    auto file = decode_file(srv.binlog_files().back());
    bool saw_absent = false;
    for (const rows_event& ev : file->events) {
      row_reader reader(ev, file->maps.at(ev.table_id));
      row_change row;
      while (!reader.done()) {
        REQUIRE(reader.next(row));
        for (const auto& v : row.before) saw_absent |= v.kind == value_kind::absent;
        for (const auto& v : row.after) saw_absent |= v.kind == value_kind::absent;
      }
    }
    INFO(image);
    CHECK(saw_absent);
    check_same_as_mariadb_binlog(srv);
  }
}

TEST_CASE("rows: MariaDB compressed rows events decode like mariadb-binlog decodes them") {
  mariadb_server srv(mariadb_options{
      1,
      true,
      {"--log-bin-compress=ON", "--log-bin-compress-min-len=10", "--max-allowed-packet=64M"}});
  srv.query("SET GLOBAL time_zone='+00:00'");
  srv.query(create_all_types_sql());
  for (const char* row : all_types_rows)
    srv.query(std::string("SET NAMES utf8mb4; SET time_zone='+00:00'; INSERT INTO d.t VALUES ") +
              row);
  srv.query("UPDATE d.t SET vc='upd' WHERE id=2; DELETE FROM d.t WHERE id=3");
  auto file = decode_file(srv.binlog_files().back());
  CHECK(file->compressed_events >= 3);
  check_same_as_mariadb_binlog(srv);
}

}  // namespace binrelay::binlog::test
