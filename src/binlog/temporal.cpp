#include "binlog/temporal.h"

namespace binrelay::binlog {
namespace {

std::uint64_t load_be(const std::uint8_t* p, int n) {
  std::uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = v << 8 | p[i];
  return v;
}

// Fraction bytes of DATETIME2/TIME2/TIMESTAMP2 as microseconds (unsigned reading).
std::uint32_t read_fraction(const std::uint8_t* p, unsigned fsp) {
  switch (fsp) {
    case 1:
    case 2:
      return std::uint32_t(p[0]) * 10000;
    case 3:
    case 4:
      return std::uint32_t(load_be(p, 2)) * 100;
    case 5:
    case 6:
      return std::uint32_t(load_be(p, 3));
    default:
      return 0;
  }
}

void split_ymdhms(std::uint64_t ymdhms, temporal_value& t) {
  std::uint64_t ymd = ymdhms >> 17, hms = ymdhms & 0x1FFFF;
  std::uint64_t ym = ymd >> 5;
  t.day = std::uint8_t(ymd & 31);
  t.month = std::uint8_t(ym % 13);
  t.year = std::uint32_t(ym / 13);
  t.hour = std::uint32_t(hms >> 12);
  t.minute = std::uint8_t((hms >> 6) & 63);
  t.second = std::uint8_t(hms & 63);
}

}  // namespace

temporal_value unpack_datetime(std::int64_t packed) {
  temporal_value t;
  std::uint64_t v = packed < 0 ? 0 - std::uint64_t(packed) : std::uint64_t(packed);
  t.negative = packed < 0;
  t.micro = std::uint32_t(v % (1u << 24));
  split_ymdhms(v >> 24, t);
  return t;
}

temporal_value unpack_time(std::int64_t packed) {
  temporal_value t;
  std::uint64_t v = packed < 0 ? 0 - std::uint64_t(packed) : std::uint64_t(packed);
  t.negative = packed < 0;
  t.micro = std::uint32_t(v % (1u << 24));
  std::uint64_t hms = v >> 24;
  t.hour = std::uint32_t((hms >> 12) % 1024);
  t.minute = std::uint8_t((hms >> 6) % 64);
  t.second = std::uint8_t(hms % 64);
  return t;
}

temporal_value decode_datetime2(const std::uint8_t* p, unsigned fsp) {
  temporal_value t;
  std::uint64_t intpart = load_be(p, 5) - 0x8000000000ull;
  split_ymdhms(intpart & 0xFFFFFFFFFFull, t);
  t.micro = read_fraction(p + 5, fsp);
  return t;
}

temporal_value decode_time2(const std::uint8_t* p, unsigned fsp) {
  std::int64_t intpart = std::int64_t(load_be(p, 3)) - 0x800000;
  std::int64_t frac = 0;
  switch (fsp) {
    case 1:
    case 2:
      frac = p[3];
      if (intpart < 0 && frac) {
        ++intpart;
        frac -= 0x100;
      }
      frac *= 10000;
      break;
    case 3:
    case 4:
      frac = std::int64_t(load_be(p + 3, 2));
      if (intpart < 0 && frac) {
        ++intpart;
        frac -= 0x10000;
      }
      frac *= 100;
      break;
    case 5:
    case 6:
      return unpack_time(std::int64_t(load_be(p, 6)) - 0x800000000000ll);
    default:
      break;
  }
  return unpack_time(intpart * (std::int64_t(1) << 24) + frac);
}

std::uint32_t decode_timestamp2(const std::uint8_t* p, unsigned fsp, std::uint32_t& micro) {
  micro = read_fraction(p + 4, fsp);
  return std::uint32_t(load_be(p, 4));
}

temporal_value decode_date(const std::uint8_t* p) {
  std::uint32_t v = std::uint32_t(load_le<3>(p));
  temporal_value t;
  t.day = std::uint8_t(v & 31);
  t.month = std::uint8_t((v >> 5) & 15);
  t.year = v >> 9;
  return t;
}

temporal_value decode_time(const std::uint8_t* p) {
  std::int32_t v = std::int32_t(load_le<3>(p) << 8) >> 8;
  temporal_value t;
  t.negative = v < 0;
  std::uint32_t a = t.negative ? std::uint32_t(-v) : std::uint32_t(v);
  t.hour = a / 10000;
  t.minute = std::uint8_t((a % 10000) / 100);
  t.second = std::uint8_t(a % 100);
  return t;
}

temporal_value decode_datetime(const std::uint8_t* p) {
  std::uint64_t v = load_u64(p);
  std::uint64_t d = v / 1000000, tm = v % 1000000;
  temporal_value t;
  t.year = std::uint32_t(d / 10000);
  t.month = std::uint8_t((d % 10000) / 100);
  t.day = std::uint8_t(d % 100);
  t.hour = std::uint32_t(tm / 10000);
  t.minute = std::uint8_t((tm % 10000) / 100);
  t.second = std::uint8_t(tm % 100);
  return t;
}

namespace {

// The text forms are built in a small local buffer and appended to `out` once: these run once
// per temporal value printed, the hot path of `-vv` output on tables with DATETIME columns.

// `v` zero-padded to at least `width` digits at `p` (room for max(width, 20) characters);
// returns the end.
char* put_padded(char* p, std::uint64_t v, int width) {
  // The usual case (a year, a fraction): exactly `width` digits, written from the right.
  static constexpr std::uint64_t limit[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
  if (width > 0 && width <= 6 && v < limit[width]) {
    for (int i = width - 1; i >= 0; --i, v /= 10) p[i] = char('0' + v % 10);
    return p + width;
  }
  char digits[20];
  int n = 0;
  do {
    digits[n++] = char('0' + v % 10);
    v /= 10;
  } while (v);
  for (int i = n; i < width; ++i) *p++ = '0';
  while (n) *p++ = digits[--n];
  return p;
}

char* put_two(char* p, std::uint64_t v) {
  if (v >= 100) return put_padded(p, v, 2);
  p[0] = char('0' + v / 10);
  p[1] = char('0' + v % 10);
  return p + 2;
}

char* put_fraction(char* p, std::uint32_t micro, unsigned fsp) {
  if (fsp == 0) return p;
  if (fsp > 6) fsp = 6;
  static constexpr std::uint32_t div[7] = {1000000, 100000, 10000, 1000, 100, 10, 1};
  *p++ = '.';
  return put_padded(p, (micro % 1000000) / div[fsp], int(fsp));
}

char* put_date(char* p, const temporal_value& t, char separator) {
  p = put_padded(p, t.year, 4);
  *p++ = separator;
  p = put_two(p, t.month);
  *p++ = separator;
  return put_two(p, t.day);
}

// "HH:MM:SS[.ffffff]" without a sign.
char* put_clock(char* p, const temporal_value& t, unsigned fsp) {
  p = put_two(p, t.hour);
  *p++ = ':';
  p = put_two(p, t.minute);
  *p++ = ':';
  p = put_two(p, t.second);
  return put_fraction(p, t.micro, fsp);
}

// Room for the longest text: 10-digit (32-bit) year and hour fields, from corrupt input.
constexpr std::size_t text_room = 128;

}  // namespace

void append_padded(std::uint64_t v, int width, std::string& out) {
  if (width > 20) {
    out.append(std::size_t(width - 20), '0');
    width = 20;
  }
  char buf[24];
  out.append(buf, std::size_t(put_padded(buf, v, width) - buf));
}

void append_fraction(std::uint32_t micro, unsigned fsp, std::string& out) {
  char buf[24];
  out.append(buf, std::size_t(put_fraction(buf, micro, fsp) - buf));
}

void append_date(const temporal_value& t, std::string& out, char separator) {
  char buf[text_room];
  out.append(buf, std::size_t(put_date(buf, t, separator) - buf));
}

void append_datetime(const temporal_value& t, unsigned fsp, std::string& out) {
  char buf[text_room];
  char* p = put_date(buf, t, '-');
  *p++ = ' ';
  out.append(buf, std::size_t(put_clock(p, t, fsp) - buf));
}

void append_time(const temporal_value& t, unsigned fsp, std::string& out) {
  char buf[text_room];
  char* p = buf;
  if (t.negative) *p++ = '-';
  out.append(buf, std::size_t(put_clock(p, t, fsp) - buf));
}

}  // namespace binrelay::binlog
