#include "binlog/row_format.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "binlog/decimal.h"
#include "binlog/json_binary.h"
#include "binlog/json_diff.h"
#include "binlog/temporal.h"

namespace binrelay::binlog {
namespace {

using namespace std::string_view_literals;

template <class T>
void append_int(T v, std::string& out) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out.append(buf, std::size_t(r.ptr - buf));
}

int int_width(column_type t) {
  switch (t) {
    case column_type::tiny:
      return 1;
    case column_type::short_:
      return 2;
    case column_type::int24:
      return 3;
    case column_type::long_:
      return 4;
    default:
      return 8;
  }
}

// mysqlbinlog prints the signed reading and, when negative, the unsigned one in parentheses.
void format_integer(const column_info& c, const column_value& v, std::string& out) {
  int shift = 64 - 8 * int_width(c.type);
  std::uint64_t raw = v.u;
  std::int64_t si = std::int64_t(raw << shift) >> shift;
  std::uint64_t ui = shift == 0 ? raw : raw & ((std::uint64_t(1) << (64 - shift)) - 1);
  append_int(si, out);
  if (si < 0) {
    out += " (";
    append_int(ui, out);
    out.push_back(')');
  }
}

void append_bits(bytes_view bytes, std::size_t nbits, std::string& out) {
  std::size_t nbits8 = (nbits + 7) / 8 * 8;
  out += "b'";
  for (std::size_t b = nbits8 - nbits; b < nbits8; ++b)
    out.push_back((bytes[b / 8] >> (7 - b % 8)) & 1 ? '1' : '0');
  out.push_back('\'');
}

void format_printf(std::string& out, const char* fmt, double d) {
  char buf[512];
  int n = std::snprintf(buf, sizeof(buf), fmt, d);
  if (n > 0) out.append(buf, std::size_t(n) < sizeof(buf) ? std::size_t(n) : sizeof(buf) - 1);
}

// mysqlbinlog 9.x prints a VECTOR as its float32 elements: [1.00000e+00,-2.50000e+00].
void format_vector(bytes_view bytes, std::string& out) {
  out.push_back('[');
  for (std::size_t at = 0; at + 4 <= bytes.size(); at += 4) {
    float f;
    std::uint32_t bits = load_u32(bytes.data() + at);
    std::memcpy(&f, &bits, sizeof f);
    if (at) out.push_back(',');
    format_printf(out, "%.5e", double(f));
  }
  out.push_back(']');
}

void format_temporal(const column_info& c, const column_value& v, std::string& out) {
  const temporal_value& t = v.t;
  switch (c.type) {
    case column_type::date:
    case column_type::newdate:
      out.push_back('\'');
      append_date(t, out, ':');  // mysqlbinlog's separator for DATE
      out.push_back('\'');
      return;
    case column_type::timestamp:
      append_int(std::int32_t(v.u), out);
      return;
    case column_type::timestamp2:
      append_int(std::int64_t(v.u), out);
      append_fraction(t.micro, c.meta, out);
      return;
    case column_type::datetime:
    case column_type::datetime2:
      out.push_back('\'');
      append_datetime(t, c.type == column_type::datetime ? 0 : c.meta, out);
      out.push_back('\'');
      return;
    default:  // time, time2
      out.push_back('\'');
      append_time(t, c.type == column_type::time ? 0 : c.meta, out);
      out.push_back('\'');
      return;
  }
}

// Whether any of the 8 bytes in `v` is below 0x20 (exact for the whole word; see
// "Determine if a word has a byte less than n" in Bit Twiddling Hacks).
inline bool has_control_byte(std::uint64_t v) {
  constexpr std::uint64_t ones = 0x0101010101010101, highs = 0x8080808080808080;
  return ((v - ones * 0x20) & ~v & highs) != 0;
}

// Whether any byte of `v` is ' or \ (exact; the "has zero byte" test on v XOR the byte).
inline bool has_quote_or_backslash(std::uint64_t v) {
  constexpr std::uint64_t ones = 0x0101010101010101, highs = 0x8080808080808080;
  auto has_zero = [](std::uint64_t x) { return ((x - ones) & ~x & highs) != 0; };
  return has_zero(v ^ (ones * '\'')) || has_zero(v ^ (ones * '\\'));
}

#if defined(__SSE2__)
// Bits set for the bytes of the 16 at `p` that are below 0x20 or, with `mysql`, ' or \.
inline unsigned special_mask16(const std::uint8_t* p, bool mysql) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  // Unsigned v < 0x20 as v == min(v, 0x1F).
  __m128i hit = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v);
  if (mysql) {
    hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8('\'')));
    hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
  }
  return unsigned(_mm_movemask_epi8(hit));
}
#endif

// The end of the run from `p` of bytes printed as they are: everything but bytes below 0x20
// and, for mysqlbinlog, ' and \. 16 (SSE2) or 8 bytes at a time: CHAR and VARCHAR values
// are most of a row listing.
const std::uint8_t* plain_run(const std::uint8_t* p, const std::uint8_t* end, quote_style q) {
  const bool mysql = q == quote_style::mysql;
#if defined(__SSE2__)
  for (; end - p >= 16; p += 16) {
    if (unsigned m = special_mask16(p, mysql)) return p + std::countr_zero(m);
  }
#endif
  while (end - p >= 8 && !has_control_byte(load_u64(p)) &&
         !(mysql && has_quote_or_backslash(load_u64(p))))
    p += 8;
  while (p<end&& * p> 0x1F && !(mysql && (*p == '\'' || *p == '\\'))) ++p;
  return p;
}

void append_quoted_as(bytes_view s, quote_style q, std::string& out) {
  static constexpr char hex[] = "0123456789abcdef";
  // mysqlbinlog's escapes: a letter for these, \xHH for other control bytes.
  constexpr std::string_view escaped = "\b\t\n\f\r'\\", letters = "btnfr'\\";
  out.push_back('\'');
  const std::uint8_t* p = s.data();
  const std::uint8_t* end = p + s.size();
  while (p < end) {
    const std::uint8_t* run = p;
    p = plain_run(p, end, q);
    out.append(reinterpret_cast<const char*>(run), std::size_t(p - run));
    if (p == end) break;
    const auto k = q == quote_style::mysql ? escaped.find(char(*p)) : std::string_view::npos;
    const char esc[4] = {'\\', k != std::string_view::npos ? letters[k] : 'x', hex[*p >> 4],
                         hex[*p & 15]};
    out.append(esc, k != std::string_view::npos ? 2 : 4);
    ++p;
  }
  out.push_back('\'');
}

// A JSON value's text is written straight into `out` and quoted there: only when it holds a
// byte that needs escaping (a backslash or control byte: rare) is it copied and quoted again.
void append_json_quoted(bytes_view doc, quote_style q, std::string& out) {
  out.push_back('\'');
  const std::size_t start = out.size();
  if (!json_binary_to_unquoted_text(doc, out)) {
    out.resize(start);
    out += "<invalid JSON>"sv;
  }
  const auto* text = reinterpret_cast<const std::uint8_t*>(out.data()) + start;
  const auto* end = reinterpret_cast<const std::uint8_t*>(out.data()) + out.size();
  if (plain_run(text, end, q) != end) {
    const std::string copy(out, start);
    out.resize(start - 1);
    return append_quoted_as(as_bytes(copy), q, out);
  }
  out.push_back('\'');
}

}  // namespace

void append_quoted(bytes_view s, std::string& out) {
  append_quoted_as(s, quote_style::mariadb, out);
}

void append_quoted_mysql(bytes_view s, std::string& out) {
  append_quoted_as(s, quote_style::mysql, out);
}

void format_value(const column_info& c, const column_value& v, std::string& out,
                  std::size_t column_number, quote_style quoting) {
  switch (v.kind) {
    case value_kind::absent:
      return;
    case value_kind::null:
      out += "NULL";
      return;
    case value_kind::int_:
    case value_kind::uint_:
      if (c.type == column_type::set)
        return append_bits(
            as_bytes(std::string_view(reinterpret_cast<const char*>(&v.u), c.length)), c.length * 8,
            out);
      if (c.type == column_type::enum_) return append_int(v.u, out);
      return format_integer(c, v, out);
    case value_kind::float_:
      return format_printf(out, "%-20g", double(v.f));
    case value_kind::double_:
      return format_printf(out, "%-.20g", v.d);
    case value_kind::decimal:
      return format_decimal(v.bytes, c.meta >> 8, c.meta & 0xFF, out);
    case value_kind::bit:
      return append_bits(v.bytes, std::size_t(c.meta >> 8) * 8 + (c.meta & 0xFF), out);
    case value_kind::year:
      return append_padded(v.u + 1900, 4, out);
    case value_kind::json:
      return append_json_quoted(v.bytes, quoting, out);
    case value_kind::json_diff: {
      if (!format_json_diff(v.bytes, column_number, out)) out += "<invalid JSON diff>";
      return;
    }
    case value_kind::vector:
      return format_vector(v.bytes, out);
    case value_kind::old_decimal:
    case value_kind::string:
    case value_kind::geometry:
      return append_quoted_as(v.bytes, quoting, out);
    default:
      return format_temporal(c, v, out);
  }
}

void format_type_name(const column_info& c, std::string& out) {
  // "NAME(n)" for the types whose name carries a size.
  auto sized = [&out](std::string_view name, std::uint64_t n) {
    out += name;
    out.push_back('(');
    append_int(n, out);
    out.push_back(')');
  };
  switch (c.type) {
    case column_type::long_:
      out += "INT"sv;
      return;
    case column_type::tiny:
      out += "TINYINT"sv;
      return;
    case column_type::short_:
      out += "SHORTINT"sv;
      return;
    case column_type::int24:
      out += "MEDIUMINT"sv;
      return;
    case column_type::longlong:
      out += "LONGINT"sv;
      return;
    case column_type::newdecimal:
      out += "DECIMAL("sv;
      append_int(c.meta >> 8, out);
      out.push_back(',');
      append_int(c.meta & 0xFF, out);
      out.push_back(')');
      return;
    case column_type::float_:
      out += "FLOAT"sv;
      return;
    case column_type::double_:
      out += "DOUBLE"sv;
      return;
    case column_type::bit:
      return sized("BIT"sv, (c.meta >> 8) * 8 + (c.meta & 0xFF));
    case column_type::timestamp:
      out += "TIMESTAMP"sv;
      return;
    case column_type::timestamp2:
      return sized("TIMESTAMP"sv, c.meta);
    case column_type::datetime:
      out += "DATETIME"sv;
      return;
    case column_type::datetime2:
      return sized("DATETIME"sv, c.meta);
    case column_type::time:
      out += "TIME"sv;
      return;
    case column_type::time2:
      return sized("TIME"sv, c.meta);
    case column_type::newdate:
    case column_type::date:
      out += "DATE"sv;
      return;
    case column_type::year:
      out += "YEAR"sv;
      return;
    case column_type::enum_:
      out += c.length == 1 ? "ENUM(1 byte)"sv : "ENUM(2 bytes)"sv;
      return;
    case column_type::set:
      out += "SET("sv;
      append_int(c.length, out);
      out += " bytes)"sv;
      return;
    case column_type::blob:
    case column_type::tiny_blob:
    case column_type::medium_blob:
    case column_type::long_blob: {
      static constexpr std::string_view names[] = {"TINYBLOB/TINYTEXT", "BLOB/TEXT",
                                                   "MEDIUMBLOB/MEDIUMTEXT", "LONGBLOB/LONGTEXT"};
      if (c.meta >= 1 && c.meta <= 4) out += names[c.meta - 1];
      return;
    }
    case column_type::varchar:
    case column_type::var_string:
      return sized("VARSTRING"sv, c.meta);
    case column_type::string:
      return sized("STRING"sv, c.length);
    case column_type::geometry:
      out += "GEOMETRY"sv;
      return;
    case column_type::json:
      out += "JSON"sv;
      return;
    case column_type::vector:
      if (c.vector_dimensions) return sized("VECTOR"sv, c.vector_dimensions);
      out += "VECTOR"sv;
      return;
    default:
      out += column_type_name(c.type);
      return;
  }
}

namespace {

void append_identifier(std::string_view id, std::string& out) {
  out.push_back('`');
  for (std::size_t at = 0; at < id.size();) {
    const std::size_t quote = std::min(id.find('`', at), id.size());
    out.append(id.data() + at, quote - at);
    if (quote < id.size()) out += "``"sv;
    at = quote + 1;
  }
  out.push_back('`');
}

void format_image(const table_map_event& map, const row_image& image, std::string_view clause,
                  const row_format_options& opt,
                  const std::vector<rows_text_cache::column_text>& text, std::string& out) {
  out += clause;
  for (std::size_t i = 0; i < image.size(); ++i) {
    const column_value& v = image[i];
    if (v.kind == value_kind::absent) continue;
    out += text[i].prefix;
    format_value(map.columns[i], v, out, i + 1, opt.quoting);
    if (opt.type_comments) {
      out += v.kind == value_kind::null ? text[i].null_end : text[i].value_end;
    } else {
      out.push_back('\n');
    }
  }
}

}  // namespace

result<void> format_rows_event(const rows_event& ev, const table_map_event& map, std::string& out,
                               const row_format_options& opt) {
  rows_text_cache cache;
  return format_rows_event(ev, map, out, opt, cache);
}

result<void> format_rows_event(const rows_event& ev, const table_map_event& map, std::string& out,
                               const row_format_options& opt, rows_text_cache& cache,
                               std::size_t* rows) {
  const std::string_view command = ev.kind == rows_kind::write     ? "### INSERT INTO "sv
                                   : ev.kind == rows_kind::delete_ ? "### DELETE FROM "sv
                                                                   : "### UPDATE "sv;
  auto append_table = [&] {
    out += command;
    append_identifier(map.db, out);
    out.push_back('.');
    append_identifier(map.table, out);
  };
  if (ev.kind == rows_kind::write && ev.rows.empty()) {
    append_table();
    out += " VALUES ()\n"sv;
    if (rows) ++*rows;
    return {};
  }
  row_reader reader(ev, map);
  // Reused by every event this thread prints: its images keep their capacity.
  thread_local row_change row;
  const auto& text = cache.columns(map);
  // The "### UPDATE `db`.`t`" line, built for the first row and copied for the others.
  std::size_t table_at = 0, table_len = 0;
  while (!reader.done()) {
    if (auto r = reader.next(row); !r) return r;
    if (table_len) {
      out.append(out, table_at, table_len);
    } else {
      table_at = out.size();
      append_table();
      out.push_back('\n');
      table_len = out.size() - table_at;
    }
    if (ev.has_before_image()) format_image(map, row.before, "### WHERE\n"sv, opt, text, out);
    if (ev.has_after_image()) format_image(map, row.after, "### SET\n"sv, opt, text, out);
    if (rows) ++*rows;
  }
  return {};
}

result<std::size_t> count_rows(const rows_event& ev, const table_map_event& map) {
  if (ev.kind == rows_kind::write && ev.rows.empty()) return 1;
  row_reader reader(ev, map);
  row_change row;
  std::size_t n = 0;
  for (; !reader.done(); ++n) {
    if (auto r = reader.next(row); !r) return std::move(r).error();
  }
  return n;
}

}  // namespace binrelay::binlog
