// Values to exact SQL literals, downstream schemas to row identities, progress rows.

#include <catch2/catch.hpp>

#include "applier/json_diff_sql.h"
#include "applier/progress.h"
#include "applier/sql_literal.h"
#include "applier/table_schema.h"

using namespace binrelay;
using namespace binrelay::applier;
using binlog::column_info;
using binlog::column_type;
using binlog::column_value;
using binlog::value_kind;

namespace {

std::string literal(column_type type, column_value v, std::uint16_t meta = 0) {
  column_info c;
  c.type = type;
  c.meta = meta;
  std::string out;
  REQUIRE(append_sql_literal(c, v, out));
  return out;
}

column_value number(value_kind k, std::uint64_t u) {
  column_value v;
  v.kind = k;
  v.u = u;
  return v;
}

protocol::query_result rows(std::vector<protocol::text_row> r) {
  protocol::query_result q;
  q.columns.resize(r.empty() ? 1 : r[0].size());
  q.rows = std::move(r);
  return q;
}

}  // namespace

TEST_CASE("sql_literal: numbers, bits and years") {
  column_value i;
  i.kind = value_kind::int_;
  i.i = -9223372036854775807 - 1;
  CHECK(literal(column_type::longlong, i) == "-9223372036854775808");
  CHECK(literal(column_type::longlong, number(value_kind::uint_, 18446744073709551615u)) ==
        "18446744073709551615");
  column_value f;
  f.kind = value_kind::float_;
  f.f = 3.14159f;
  CHECK(literal(column_type::float_, f) == "3.14159");
  column_value d;
  d.kind = value_kind::double_;
  d.d = 0.1;
  CHECK(literal(column_type::double_, d) == "0.1");
  std::uint8_t bits[] = {0x15, 0x55};
  column_value b;
  b.kind = value_kind::bit;
  b.bytes = bytes_view(bits);
  CHECK(literal(column_type::bit, b) == "5461");
  CHECK(literal(column_type::year, number(value_kind::year, 0)) == "0");
  CHECK(literal(column_type::year, number(value_kind::year, 124)) == "2024");
}

TEST_CASE("sql_literal: strings are hex, NULL is NULL, temporals are exact") {
  std::uint8_t s[] = {'a', '\'', 0x00, 0xC3, 0xA9};
  column_value v;
  v.kind = value_kind::string;
  v.bytes = bytes_view(s);
  CHECK(literal(column_type::varchar, v) == "X'612700C3A9'");
  column_value n;
  n.kind = value_kind::null;
  CHECK(literal(column_type::varchar, n) == "NULL");
  column_value t;
  t.kind = value_kind::time;
  t.t.negative = true;
  t.t.hour = 838;
  t.t.minute = 59;
  t.t.second = 59;
  t.t.micro = 999000;
  CHECK(literal(column_type::time2, t, 3) == "'-838:59:59.999000'");
  column_value ts = number(value_kind::timestamp, 2147483647);
  ts.t.micro = 990000;
  CHECK(literal(column_type::timestamp2, ts, 2) == "'2038-01-19 03:14:07.990000'");
  CHECK(literal(column_type::timestamp2, number(value_kind::timestamp, 0), 0) ==
        "'0000-00-00 00:00:00'");
}

TEST_CASE("sql_literal: identifiers double their backticks") {
  std::string out;
  append_identifier("we`ird", out);
  CHECK(out == "`we``ird`");
}

TEST_CASE("table_schema: primary key wins, else a NOT NULL unique key, else none") {
  auto cols = rows({{"id"}, {"a"}, {"b"}});
  auto pk = parse_schema(
      "d", "t", cols,
      rows({{"PRIMARY", "0", "id", "", std::nullopt}, {"u", "0", "a", "", std::nullopt}}));
  REQUIRE(pk);
  CHECK(pk->key == std::vector<std::size_t>{0});
  auto uk = parse_schema("d", "t", cols,
                         rows({{"k", "1", "b", "", std::nullopt},
                               {"u1", "0", "b", "YES", std::nullopt},
                               {"u2", "0", "b", "", std::nullopt},
                               {"u2", "0", "a", "", std::nullopt}}));
  REQUIRE(uk);
  CHECK(uk->key == std::vector<std::size_t>{2, 1});
  auto prefix = parse_schema("d", "t", cols, rows({{"u", "0", "b", "", "10"}}));
  REQUIRE(prefix);
  CHECK(prefix->key.empty());
  auto missing = parse_schema("d", "nope", rows({}), rows({}));
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == errc::not_found);
}

TEST_CASE("progress: the greatest recorded position is where the applier resumes") {
  relay_transaction txn;
  txn.file = "relay-bin.000003";
  txn.file_number = 3;
  txn.end_offset = 4567;
  CHECK(record_progress_sql(2, txn) ==
        "REPLACE INTO binrelay.apply_progress VALUES (2,3,'relay-bin.000003',4567,'ANONYMOUS')");
  auto none = parse_resume_position(rows({}));
  REQUIRE(none);
  CHECK_FALSE(*none);
  auto some = parse_resume_position(rows({{"relay-bin.000003", "4567"}}));
  REQUIRE(some);
  CHECK(**some == binlog::log_position{"relay-bin.000003", 4567});
  CHECK_FALSE(parse_resume_position(rows({{"relay-bin.000003", "45x"}})));
}

TEST_CASE("sql_literal: signed values of UNSIGNED columns become their unsigned bits") {
  column_info c;
  c.type = column_type::short_;
  column_value v;
  v.kind = value_kind::int_;
  v.i = -1;
  CHECK(literal(column_type::short_, as_unsigned(c, v)) == "65535");
  c.type = column_type::longlong;
  CHECK(literal(column_type::longlong, as_unsigned(c, v)) == "18446744073709551615");
  c.type = column_type::int24;
  v.i = -8388608;
  CHECK(literal(column_type::int24, as_unsigned(c, v)) == "8388608");
}

namespace {

// One diff of a partial JSON update: op, path, [binary JSON value].
void add_diff(std::vector<std::uint8_t>& v, std::uint8_t op, std::string_view path,
              std::vector<std::uint8_t> value = {}) {
  v.push_back(op);
  v.push_back(static_cast<std::uint8_t>(path.size()));
  v.insert(v.end(), path.begin(), path.end());
  if (op == 2) return;
  v.push_back(static_cast<std::uint8_t>(value.size()));
  v.insert(v.end(), value.begin(), value.end());
}

}  // namespace

TEST_CASE("json_diff_sql: diffs nest in order, the first innermost, with typed JSON values") {
  std::vector<std::uint8_t> diffs;
  add_diff(diffs, 0, "$.age", {0x05, 0x1a, 0x00});  // REPLACE $.age 26 (int16)
  add_diff(diffs, 1, "$.a[1]", {0x04, 0x01});       // INSERT into an array: true
  add_diff(diffs, 1, "$.n", {0x04, 0x00});          // INSERT a member: null
  add_diff(diffs, 2, "$.old");                      // REMOVE
  std::string sql;
  std::vector<protocol::param_value> params;
  REQUIRE(append_json_diff("j", diffs, rows_form::prepared, sql, params));
  CHECK(sql ==
        "JSON_REMOVE(JSON_INSERT(JSON_ARRAY_INSERT(JSON_REPLACE(`j`,CONVERT(? USING utf8mb4),"
        "JSON_EXTRACT(CONVERT(? USING utf8mb4),'$')),CONVERT(? USING utf8mb4),JSON_EXTRACT(CONVERT("
        "? USING utf8mb4),'$')),CONVERT(? USING utf8mb4),JSON_EXTRACT(CONVERT(? USING utf8mb4),"
        "'$')),CONVERT(? USING utf8mb4))");
  REQUIRE(params.size() == 7);
  CHECK(params[0].str == "$.age");
  CHECK(params[1].str == "26");
  CHECK(params[3].str == "true");
  CHECK(params[5].str == "null");
  CHECK(params[6].str == "$.old");

  std::string text;
  std::vector<protocol::param_value> none;
  std::vector<std::uint8_t> one;
  add_diff(one, 0, "$.age", {0x05, 0x1a, 0x00});
  REQUIRE(append_json_diff("j", one, rows_form::text, text, none));
  CHECK(text ==
        "JSON_REPLACE(`j`,CONVERT(X'242E616765' USING utf8mb4),JSON_EXTRACT(CONVERT("
        "X'3236' USING utf8mb4),'$'))");
  CHECK(none.empty());
}

TEST_CASE("json_diff_sql: a truncated diff vector is corrupt") {
  std::vector<std::uint8_t> diffs;
  add_diff(diffs, 0, "$.age", {0x05, 0x1a, 0x00});
  diffs.pop_back();
  std::string sql;
  std::vector<protocol::param_value> params;
  CHECK_FALSE(append_json_diff("j", diffs, rows_form::prepared, sql, params));
}
