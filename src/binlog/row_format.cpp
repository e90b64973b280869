#include "binlog/row_format.h"

#include <charconv>
#include <cstdio>
#include <iterator>

#include "binlog/decimal.h"
#include "binlog/json_binary.h"
#include "binlog/json_diff.h"
#include "binlog/temporal.h"

namespace binrelay::binlog {
namespace {

template <class T>
void append_int(T v, std::string& out) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out.append(buf, r.ptr);
}

int int_width(column_type t) {
  switch (t) {
    case column_type::tiny: return 1;
    case column_type::short_: return 2;
    case column_type::int24: return 3;
    case column_type::long_: return 4;
    default: return 8;
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

void format_temporal(const column_info& c, const column_value& v, std::string& out) {
  const temporal_value& t = v.t;
  switch (c.type) {
    case column_type::date:
    case column_type::newdate:
      out.push_back('\'');
      append_padded(t.year, 4, out);
      out.push_back(':');
      append_padded(t.month, 2, out);
      out.push_back(':');
      append_padded(t.day, 2, out);
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

}  // namespace

void append_quoted(bytes_view s, std::string& out) {
  static constexpr char hex[] = "0123456789abcdef";
  out.push_back('\'');
  const std::uint8_t* p = s.data();
  const std::uint8_t* end = p + s.size();
  while (p < end) {
    const std::uint8_t* run = p;
    while (p < end && *p > 0x1F) ++p;
    out.append(reinterpret_cast<const char*>(run), std::size_t(p - run));
    if (p < end) {
      out += "\\x";
      out.push_back(hex[*p >> 4]);
      out.push_back(hex[*p & 15]);
      ++p;
    }
  }
  out.push_back('\'');
}

void format_value(const column_info& c, const column_value& v, std::string& out,
                  std::size_t column_number) {
  switch (v.kind) {
    case value_kind::absent: return;
    case value_kind::null: out += "NULL"; return;
    case value_kind::int_:
    case value_kind::uint_:
      if (c.type == column_type::set) return append_bits(as_bytes(std::string_view(
          reinterpret_cast<const char*>(&v.u), c.length)), c.length * 8, out);
      if (c.type == column_type::enum_) return append_int(v.u, out);
      return format_integer(c, v, out);
    case value_kind::float_: return format_printf(out, "%-20g", double(v.f));
    case value_kind::double_: return format_printf(out, "%-.20g", v.d);
    case value_kind::decimal: return format_decimal(v.bytes, c.meta >> 8, c.meta & 0xFF, out);
    case value_kind::bit:
      return append_bits(v.bytes, std::size_t(c.meta >> 8) * 8 + (c.meta & 0xFF), out);
    case value_kind::year: return append_padded(v.u + 1900, 4, out);
    case value_kind::json: {
      std::string text;
      if (!json_binary_to_text(v.bytes, text)) text = "<invalid JSON>";
      return append_quoted(as_bytes(text), out);
    }
    case value_kind::json_diff: {
      if (!format_json_diff(v.bytes, column_number, out)) out += "<invalid JSON diff>";
      return;
    }
    case value_kind::old_decimal:
    case value_kind::string:
    case value_kind::geometry:
    case value_kind::vector:
      return append_quoted(v.bytes, out);
    default:
      return format_temporal(c, v, out);
  }
}

void format_type_name(const column_info& c, std::string& out) {
  switch (c.type) {
    case column_type::long_: out += "INT"; return;
    case column_type::tiny: out += "TINYINT"; return;
    case column_type::short_: out += "SHORTINT"; return;
    case column_type::int24: out += "MEDIUMINT"; return;
    case column_type::longlong: out += "LONGINT"; return;
    case column_type::newdecimal:
      fmt::format_to(std::back_inserter(out), "DECIMAL({},{})", c.meta >> 8, c.meta & 0xFF);
      return;
    case column_type::float_: out += "FLOAT"; return;
    case column_type::double_: out += "DOUBLE"; return;
    case column_type::bit:
      fmt::format_to(std::back_inserter(out), "BIT({})", (c.meta >> 8) * 8 + (c.meta & 0xFF));
      return;
    case column_type::timestamp: out += "TIMESTAMP"; return;
    case column_type::timestamp2: fmt::format_to(std::back_inserter(out), "TIMESTAMP({})", c.meta); return;
    case column_type::datetime: out += "DATETIME"; return;
    case column_type::datetime2: fmt::format_to(std::back_inserter(out), "DATETIME({})", c.meta); return;
    case column_type::time: out += "TIME"; return;
    case column_type::time2: fmt::format_to(std::back_inserter(out), "TIME({})", c.meta); return;
    case column_type::newdate:
    case column_type::date: out += "DATE"; return;
    case column_type::year: out += "YEAR"; return;
    case column_type::enum_: out += c.length == 1 ? "ENUM(1 byte)" : "ENUM(2 bytes)"; return;
    case column_type::set: fmt::format_to(std::back_inserter(out), "SET({} bytes)", c.length); return;
    case column_type::blob:
    case column_type::tiny_blob:
    case column_type::medium_blob:
    case column_type::long_blob: {
      static constexpr const char* names[] = {"TINYBLOB/TINYTEXT", "BLOB/TEXT",
                                              "MEDIUMBLOB/MEDIUMTEXT", "LONGBLOB/LONGTEXT"};
      if (c.meta >= 1 && c.meta <= 4) out += names[c.meta - 1];
      return;
    }
    case column_type::varchar:
    case column_type::var_string: fmt::format_to(std::back_inserter(out), "VARSTRING({})", c.meta); return;
    case column_type::string: fmt::format_to(std::back_inserter(out), "STRING({})", c.length); return;
    case column_type::geometry: out += "GEOMETRY"; return;
    case column_type::json: out += "JSON"; return;
    default: out += column_type_name(c.type); return;
  }
}

namespace {

void append_identifier(std::string_view id, std::string& out) {
  out.push_back('`');
  for (char c : id) {
    if (c == '`') out.push_back('`');
    out.push_back(c);
  }
  out.push_back('`');
}

void format_image(const table_map_event& map, const row_image& image, const char* clause,
                  const row_format_options& opt, std::string& out) {
  out += clause;
  for (std::size_t i = 0; i < image.size(); ++i) {
    const column_value& v = image[i];
    if (v.kind == value_kind::absent) continue;
    const column_info& c = map.columns[i];
    out += "###   @";
    append_int(i + 1, out);
    out.push_back('=');
    format_value(c, v, out, i + 1);
    if (opt.type_comments) {
      out += " /* ";
      format_type_name(c, out);
      out += " meta=";
      append_int(c.meta, out);
      out += c.nullable ? " nullable=1" : " nullable=0";
      out += v.kind == value_kind::null ? " is_null=1 */" : " is_null=0 */";
    }
    out.push_back('\n');
  }
}

}  // namespace

result<void> format_rows_event(const rows_event& ev, const table_map_event& map,
                               std::string& out, const row_format_options& opt) {
  const char* command = ev.kind == rows_kind::write     ? "### INSERT INTO "
                        : ev.kind == rows_kind::delete_ ? "### DELETE FROM "
                                                        : "### UPDATE ";
  std::string table;
  append_identifier(map.db, table);
  table.push_back('.');
  append_identifier(map.table, table);
  if (ev.kind == rows_kind::write && ev.rows.empty()) {
    out += command;
    out += table;
    out += " VALUES ()\n";
    return {};
  }
  row_reader reader(ev, map);
  row_change row;
  while (!reader.done()) {
    if (auto r = reader.next(row); !r) return r;
    out += command;
    out += table;
    out.push_back('\n');
    if (ev.has_before_image()) format_image(map, row.before, "### WHERE\n", opt, out);
    if (ev.has_after_image()) format_image(map, row.after, "### SET\n", opt, out);
  }
  return {};
}

}  // namespace binrelay::binlog
