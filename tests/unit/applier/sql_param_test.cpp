// Values to binary prepared-statement parameters: the same value the SQL literal stores.

#include <catch2/catch.hpp>

#include "applier/sql_param.h"

using namespace binrelay;
using namespace binrelay::applier;
using binlog::column_info;
using binlog::column_type;
using binlog::column_value;
using binlog::value_kind;
using protocol::param_value;

namespace {

param_value param(column_type type, column_value v, std::uint16_t meta = 0) {
  column_info c;
  c.type = type;
  c.meta = meta;
  auto p = to_param(c, v);
  REQUIRE(p);
  return *p;
}

column_value number(value_kind k, std::uint64_t u) {
  column_value v;
  v.kind = k;
  v.u = u;
  return v;
}

}  // namespace

TEST_CASE("sql_param: integers keep their sign, floats their bits, BIT and YEAR their number") {
  column_value i;
  i.kind = value_kind::int_;
  i.i = -9223372036854775807 - 1;
  CHECK(param(column_type::longlong, i) == param_value::of_int(i.i));
  CHECK(param(column_type::longlong, number(value_kind::uint_, 18446744073709551615u)) ==
        param_value::of_uint(18446744073709551615u));
  column_value f;
  f.kind = value_kind::float_;
  f.f = 3.14159f;
  CHECK(param(column_type::float_, f) == param_value::of_float(3.14159f));
  column_value d;
  d.kind = value_kind::double_;
  d.d = 0.1;
  CHECK(param(column_type::double_, d) == param_value::of_double(0.1));
  std::uint8_t bits[] = {0x15, 0x55};
  column_value b;
  b.kind = value_kind::bit;
  b.bytes = bytes_view(bits);
  CHECK(param(column_type::bit, b) == param_value::of_uint(5461));
  CHECK(param(column_type::year, number(value_kind::year, 124)) == param_value::of_uint(2024));
  CHECK(param(column_type::year, number(value_kind::year, 0)) == param_value::of_uint(0));
}

TEST_CASE("sql_param: strings are binary bytes, NULL is NULL, temporals are the literal's text") {
  std::uint8_t s[] = {'a', '\'', 0x00, 0xC3, 0xA9};
  column_value v;
  v.kind = value_kind::string;
  v.bytes = bytes_view(s);
  CHECK(param(column_type::varchar, v) == param_value::of_bytes(bytes_view(s)));
  column_value n;
  n.kind = value_kind::null;
  CHECK(param(column_type::varchar, n) == param_value::of_null());
  column_value t;
  t.kind = value_kind::time;
  t.t.negative = true;
  t.t.hour = 838;
  t.t.minute = 59;
  t.t.second = 59;
  t.t.micro = 999000;
  CHECK(param(column_type::time2, t, 3) == param_value::of_text("-838:59:59.999000"));
  column_value ts = number(value_kind::timestamp, 2147483647);
  ts.t.micro = 990000;
  CHECK(param(column_type::timestamp2, ts, 2) ==
        param_value::of_text("2038-01-19 03:14:07.990000"));
  CHECK(param(column_type::timestamp2, number(value_kind::timestamp, 0), 0) ==
        param_value::of_text("0000-00-00 00:00:00"));
}

TEST_CASE("sql_param: partial JSON diffs are refused as unsupported") {
  column_info c;
  c.type = column_type::json;
  column_value v;
  v.kind = value_kind::json_diff;
  auto p = to_param(c, v);
  REQUIRE_FALSE(p);
  CHECK(p.error().code == errc::unsupported);
}
