// Decoding of one packed column value (the per-type layouts of a row image).
#include "binlog/decimal.h"
#include "binlog/row_values.h"
#include "binlog/temporal.h"

#include <cstring>

namespace binrelay::binlog {
namespace {

std::size_t put_int(const column_info& c, const std::uint8_t* p, std::size_t avail, int n,
                    column_value& out) {
  if (avail < std::size_t(n)) return value_decode_failed;
  std::uint64_t raw = 0;
  std::memcpy(&raw, p, std::size_t(n));
  if (c.is_unsigned) {
    out.kind = value_kind::uint_;
    out.u = raw;
  } else {
    out.kind = value_kind::int_;
    int shift = 64 - 8 * n;
    out.i = std::int64_t(raw << shift) >> shift;
  }
  return std::size_t(n);
}

// A length prefix of `n` bytes (1-4) then that many bytes.
std::size_t put_prefixed(value_kind kind, const std::uint8_t* p, std::size_t avail, unsigned n,
                         column_value& out) {
  if (n < 1 || n > 4 || avail < n) return value_decode_failed;
  std::uint64_t len = 0;
  std::memcpy(&len, p, n);
  if (len > avail - n) return value_decode_failed;
  out.kind = kind;
  out.bytes = bytes_view(p + n, std::size_t(len));
  return n + std::size_t(len);
}

std::size_t put_fixed(value_kind kind, const std::uint8_t* p, std::size_t avail, std::size_t n,
                      column_value& out) {
  if (avail < n) return value_decode_failed;
  out.kind = kind;
  out.bytes = bytes_view(p, n);
  return n;
}

std::size_t decode_temporal(const column_info& c, const std::uint8_t* p, std::size_t avail,
                            column_value& out) {
  unsigned fsp = c.meta;
  switch (c.type) {
    case column_type::date:
    case column_type::newdate:
      if (avail < 3) return value_decode_failed;
      out.kind = value_kind::date;
      out.t = decode_date(p);
      return 3;
    case column_type::time:
      if (avail < 3) return value_decode_failed;
      out.kind = value_kind::time;
      out.t = decode_time(p);
      return 3;
    case column_type::datetime:
      if (avail < 8) return value_decode_failed;
      out.kind = value_kind::datetime;
      out.t = decode_datetime(p);
      return 8;
    case column_type::timestamp:
      if (avail < 4) return value_decode_failed;
      out.kind = value_kind::timestamp;
      out.u = load_u32(p);
      out.t = {};
      return 4;
    case column_type::datetime2:
      if (fsp > 6 || avail < 5 + fsp_bytes(fsp)) return value_decode_failed;
      out.kind = value_kind::datetime;
      out.t = decode_datetime2(p, fsp);
      return 5 + fsp_bytes(fsp);
    case column_type::time2:
      if (fsp > 6 || avail < 3 + fsp_bytes(fsp)) return value_decode_failed;
      out.kind = value_kind::time;
      out.t = decode_time2(p, fsp);
      return 3 + fsp_bytes(fsp);
    case column_type::timestamp2:
      if (fsp > 6 || avail < 4 + fsp_bytes(fsp)) return value_decode_failed;
      out.kind = value_kind::timestamp;
      out.t = {};
      out.u = decode_timestamp2(p, fsp, out.t.micro);
      return 4 + fsp_bytes(fsp);
    default:
      return value_decode_failed;
  }
}

}  // namespace

std::size_t decode_value(const column_info& c, const std::uint8_t* p, std::size_t avail,
                         column_value& out) {
  switch (c.type) {
    case column_type::tiny:
      return put_int(c, p, avail, 1, out);
    case column_type::short_:
      return put_int(c, p, avail, 2, out);
    case column_type::int24:
      return put_int(c, p, avail, 3, out);
    case column_type::long_:
      return put_int(c, p, avail, 4, out);
    case column_type::longlong:
      return put_int(c, p, avail, 8, out);
    case column_type::float_:
      if (avail < 4) return value_decode_failed;
      out.kind = value_kind::float_;
      std::memcpy(&out.f, p, 4);
      return 4;
    case column_type::double_:
      if (avail < 8) return value_decode_failed;
      out.kind = value_kind::double_;
      std::memcpy(&out.d, p, 8);
      return 8;
    case column_type::year:
      if (avail < 1) return value_decode_failed;
      out.kind = value_kind::year;
      out.u = p[0];
      return 1;
    case column_type::newdecimal: {
      std::size_t n = decimal_binary_size(c.meta >> 8, c.meta & 0xFF);
      return n ? put_fixed(value_kind::decimal, p, avail, n, out) : value_decode_failed;
    }
    case column_type::bit: {
      std::size_t nbits = std::size_t(c.meta >> 8) * 8 + (c.meta & 0xFF);
      return put_fixed(value_kind::bit, p, avail, (nbits + 7) / 8, out);
    }
    case column_type::enum_:
    case column_type::set: {
      std::size_t n = c.length;
      if ((c.type == column_type::enum_ && n != 1 && n != 2) || n < 1 || n > 8 || avail < n)
        return value_decode_failed;
      out.kind = value_kind::uint_;
      out.u = 0;
      std::memcpy(&out.u, p, n);
      return n;
    }
    case column_type::string:
      return put_prefixed(value_kind::string, p, avail, c.length < 256 ? 1 : 2, out);
    case column_type::varchar:
    case column_type::var_string:
    case column_type::varchar_compressed:
      return put_prefixed(value_kind::string, p, avail, c.meta < 256 ? 1 : 2, out);
    case column_type::blob:
    case column_type::tiny_blob:
    case column_type::medium_blob:
    case column_type::long_blob:
    case column_type::blob_compressed:
      return put_prefixed(value_kind::string, p, avail, c.meta, out);
    case column_type::json:
      return put_prefixed(value_kind::json, p, avail, c.meta, out);
    case column_type::geometry:
      return put_prefixed(value_kind::geometry, p, avail, c.meta, out);
    case column_type::vector:
      return put_prefixed(value_kind::vector, p, avail, c.meta, out);
    case column_type::null:
      out.kind = value_kind::null;
      return 0;
    default:
      return decode_temporal(c, p, avail, out);
  }
}

}  // namespace binrelay::binlog
