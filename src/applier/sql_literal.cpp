#include "applier/sql_literal.h"

#include <ctime>

#include <fmt/format.h>

#include "binlog/decimal.h"
#include "binlog/json_binary.h"
#include "binlog/temporal.h"

namespace binrelay::applier {
namespace {

using binlog::column_type;
using binlog::value_kind;

constexpr unsigned max_fsp = 6;

void append_timestamp_text(const binlog::column_value& v, std::string& out) {
  if (v.u == 0 && v.t.micro == 0) {
    out += "0000-00-00 00:00:00";
    return;
  }
  std::time_t secs = static_cast<std::time_t>(v.u);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  binlog::temporal_value t;
  t.year = static_cast<std::uint32_t>(tm.tm_year + 1900);
  t.month = static_cast<std::uint8_t>(tm.tm_mon + 1);
  t.day = static_cast<std::uint8_t>(tm.tm_mday);
  t.hour = static_cast<std::uint32_t>(tm.tm_hour);
  t.minute = static_cast<std::uint8_t>(tm.tm_min);
  t.second = static_cast<std::uint8_t>(tm.tm_sec);
  t.micro = v.t.micro;
  binlog::append_datetime(t, max_fsp, out);
}

}  // namespace

void append_temporal_text(const binlog::column_value& v, std::string& out) {
  if (v.kind == value_kind::date) binlog::append_date(v.t, out);
  if (v.kind == value_kind::datetime) binlog::append_datetime(v.t, max_fsp, out);
  if (v.kind == value_kind::time) binlog::append_time(v.t, max_fsp, out);
  if (v.kind == value_kind::timestamp) append_timestamp_text(v, out);
}

std::uint64_t bit_value(bytes_view b) {
  std::uint64_t v = 0;
  for (auto x : b) v = (v << 8) | x;
  return v;
}

binlog::column_value as_unsigned(const binlog::column_info& c, binlog::column_value v) {
  if (v.kind != value_kind::int_) return v;
  int bytes = 8;
  switch (c.type) {
    case column_type::tiny:
      bytes = 1;
      break;
    case column_type::short_:
      bytes = 2;
      break;
    case column_type::int24:
      bytes = 3;
      break;
    case column_type::long_:
      bytes = 4;
      break;
    default:
      break;
  }
  std::uint64_t bits = static_cast<std::uint64_t>(v.i);
  if (bytes < 8) bits &= (std::uint64_t(1) << (8 * bytes)) - 1;
  v.kind = value_kind::uint_;
  v.u = bits;
  return v;
}

void append_identifier(std::string_view name, std::string& out) {
  out += '`';
  for (char ch : name) {
    if (ch == '`') out += '`';
    out += ch;
  }
  out += '`';
}

void append_hex_literal(bytes_view bytes, std::string& out) {
  static constexpr char digits[] = "0123456789ABCDEF";
  out += "X'";
  for (auto b : bytes) {
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  out += '\'';
}

result<void> append_sql_literal(const binlog::column_info& c, const binlog::column_value& v,
                                std::string& out) {
  switch (v.kind) {
    case value_kind::absent:
    case value_kind::null:
      out += "NULL";
      return {};
    case value_kind::int_:
      fmt::format_to(std::back_inserter(out), "{}", v.i);
      return {};
    case value_kind::uint_:
      fmt::format_to(std::back_inserter(out), "{}", v.u);
      return {};
    case value_kind::float_:
      fmt::format_to(std::back_inserter(out), "{}", v.f);
      return {};
    case value_kind::double_:
      fmt::format_to(std::back_inserter(out), "{}", v.d);
      return {};
    case value_kind::decimal:
      binlog::format_decimal(v.bytes, c.meta >> 8, c.meta & 0xFF, out);
      return {};
    case value_kind::old_decimal:
      out += '\'';
      out += as_string_view(v.bytes);
      out += '\'';
      return {};
    case value_kind::bit:
      fmt::format_to(std::back_inserter(out), "{}", bit_value(v.bytes));
      return {};
    case value_kind::year:
      fmt::format_to(std::back_inserter(out), "{}", v.u ? v.u + 1900 : 0);
      return {};
    case value_kind::date:
    case value_kind::time:
    case value_kind::datetime:
    case value_kind::timestamp:
      out += '\'';
      append_temporal_text(v, out);
      out += '\'';
      return {};
    case value_kind::json: {
      std::string text;
      if (auto r = binlog::json_binary_to_text(v.bytes, text); !r) return r;
      append_hex_literal(as_bytes(text), out);
      return {};
    }
    case value_kind::string:
    case value_kind::geometry:
    case value_kind::vector:
      append_hex_literal(v.bytes, out);
      return {};
    case value_kind::json_diff:
      return make_error(errc::unsupported,
                        "partial JSON updates (binlog_row_value_options="
                        "PARTIAL_JSON) cannot be applied yet");
  }
  return make_error(errc::unsupported, "column type {} cannot be applied",
                    binlog::column_type_name(c.type));
}

}  // namespace binrelay::applier
