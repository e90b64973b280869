#include "binlog/json_binary.h"

#include <charconv>
#include <cmath>
#include <cstring>

#include "binlog/decimal.h"
#include "binlog/temporal.h"

namespace binrelay::binlog {
namespace {

enum : std::uint8_t {
  small_object = 0x00,
  large_object = 0x01,
  small_array = 0x02,
  large_array = 0x03,
  literal = 0x04,
  int16 = 0x05,
  uint16 = 0x06,
  int32 = 0x07,
  uint32 = 0x08,
  int64 = 0x09,
  uint64 = 0x0a,
  double_ = 0x0b,
  string = 0x0c,
  opaque = 0x0f,
};

struct json_printer {
  std::string& out;

  bool varlen(bytes_view data, std::size_t& pos, std::uint64_t& len) {
    len = 0;
    for (int i = 0; i < 5; ++i) {
      if (pos >= data.size()) return false;
      std::uint8_t b = data[pos++];
      len |= std::uint64_t(b & 0x7F) << (7 * i);
      if (!(b & 0x80)) return len <= data.size() - pos;
    }
    return false;
  }

  bool scalar_string(bytes_view data) {
    std::size_t pos = 0;
    std::uint64_t len;
    if (!varlen(data, pos, len)) return false;
    append_json_string(as_string_view(data.subspan(pos, len)), out);
    return true;
  }

  bool value(std::uint8_t type, bytes_view data, int depth) {
    switch (type) {
      case small_object:
      case large_object:
      case small_array:
      case large_array:
        return container(type, data, depth);
      case literal:
        if (data.empty()) return false;
        if (data[0] > 2) return false;
        out += data[0] == 0 ? "null" : data[0] == 1 ? "true" : "false";
        return true;
      case int16:
        return number<std::int16_t>(data);
      case uint16:
        return number<std::uint16_t>(data);
      case int32:
        return number<std::int32_t>(data);
      case uint32:
        return number<std::uint32_t>(data);
      case int64:
        return number<std::int64_t>(data);
      case uint64:
        return number<std::uint64_t>(data);
      case double_: {
        if (data.size() < 8) return false;
        double d;
        std::memcpy(&d, data.data(), 8);
        append_json_double(d, out);
        return true;
      }
      case string:
        return scalar_string(data);
      case opaque:
        return opaque_value(data);
      default:
        return false;
    }
  }

  template <class T>
  bool number(bytes_view data) {
    if (data.size() < sizeof(T)) return false;
    T v;
    std::memcpy(&v, data.data(), sizeof(T));
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof(buf), v);
    out.append(buf, r.ptr);
    return true;
  }

  bool opaque_value(bytes_view data) {
    if (data.empty()) return false;
    std::uint8_t field_type = data[0];
    std::size_t pos = 1;
    std::uint64_t len;
    if (!varlen(data, pos, len)) return false;
    bytes_view v = data.subspan(pos, len);
    switch (field_type) {
      case 246: {  // NEWDECIMAL: precision, scale, binary decimal
        if (v.size() < 2) return false;
        std::size_t n = decimal_binary_size(v[0], v[1]);
        if (n == 0 || v.size() - 2 < n) return false;
        format_decimal(v.subspan(2, n), v[0], v[1], out);
        return true;
      }
      case 10:
      case 11:
      case 12:
      case 7: {  // DATE, TIME, DATETIME, TIMESTAMP (packed)
        if (v.size() < 8) return false;
        std::int64_t packed = std::int64_t(load_u64(v.data()));
        out.push_back('"');
        if (field_type == 11) {
          append_time(unpack_time(packed), 6, out);
        } else if (field_type == 10) {
          append_date(unpack_datetime(packed), out);
        } else {
          append_datetime(unpack_datetime(packed), 6, out);
        }
        out.push_back('"');
        return true;
      }
      default:
        out += "\"base64:type";
        out += std::to_string(field_type);
        out.push_back(':');
        append_base64(v);
        out.push_back('"');
        return true;
    }
  }

  void append_base64(bytes_view v) {
    static constexpr char tbl[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::size_t i = 0;
    for (; i + 3 <= v.size(); i += 3) {
      std::uint32_t n = std::uint32_t(v[i]) << 16 | std::uint32_t(v[i + 1]) << 8 | v[i + 2];
      for (int k = 18; k >= 0; k -= 6) out.push_back(tbl[(n >> k) & 63]);
    }
    if (std::size_t rest = v.size() - i) {
      std::uint32_t n = std::uint32_t(v[i]) << 16 | (rest == 2 ? std::uint32_t(v[i + 1]) << 8 : 0);
      out.push_back(tbl[(n >> 18) & 63]);
      out.push_back(tbl[(n >> 12) & 63]);
      out.push_back(rest == 2 ? tbl[(n >> 6) & 63] : '=');
      out.push_back('=');
    }
  }

  bool container(std::uint8_t type, bytes_view data, int depth) {
    if (depth > max_json_depth) return false;
    const bool large = type == large_object || type == large_array;
    const bool object = type == small_object || type == large_object;
    const std::size_t w = large ? 4 : 2;
    if (data.size() < 2 * w) return false;
    std::uint64_t count = large ? load_u32(data.data()) : load_u16(data.data());
    std::uint64_t size = large ? load_u32(data.data() + w) : load_u16(data.data() + w);
    if (size > data.size()) return false;
    data = data.subspan(0, size);
    const std::size_t key_entry = w + 2, value_entry = 1 + w;
    std::size_t header = 2 * w + count * ((object ? key_entry : 0) + value_entry);
    if (count > size || header > size) return false;
    out.push_back(object ? '{' : '[');
    for (std::size_t i = 0; i < count; ++i) {
      if (i) out += ", ";
      if (object) {
        const std::uint8_t* k = data.data() + 2 * w + i * key_entry;
        std::uint64_t off = large ? load_u32(k) : load_u16(k);
        std::uint16_t len = load_u16(k + w);
        if (off > size || len > size - off) return false;
        append_json_string(as_string_view(data.subspan(off, len)), out);
        out += ": ";
      }
      const std::uint8_t* e =
          data.data() + 2 * w + count * (object ? key_entry : 0) + i * value_entry;
      if (!entry(e, large, data, depth)) return false;
    }
    out.push_back(object ? '}' : ']');
    return true;
  }

  bool entry(const std::uint8_t* e, bool large, bytes_view data, int depth) {
    std::uint8_t t = e[0];
    bool inlined =
        t == literal || t == int16 || t == uint16 || (large && (t == int32 || t == uint32));
    if (inlined) return value(t, bytes_view(e + 1, large ? 4 : 2), depth + 1);
    std::uint64_t off = large ? load_u32(e + 1) : load_u16(e + 1);
    if (off >= data.size()) return false;
    return value(t, data.subspan(off), depth + 1);
  }
};

}  // namespace

void append_json_string(std::string_view s, std::string& out) {
  static constexpr char hex[] = "0123456789abcdef";
  out.push_back('"');
  const char* p = s.data();
  const char* end = p + s.size();
  while (p < end) {
    const char* run = p;
    while (p < end && static_cast<unsigned char>(*p) >= 0x20 && *p != '"' && *p != '\\') ++p;
    out.append(run, std::size_t(p - run));
    if (p == end) break;
    const auto c = static_cast<unsigned char>(*p++);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        const char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        out.append(esc, sizeof esc);
      }
    }
  }
  out.push_back('"');
}

void append_json_double(double d, std::string& out) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof(buf), d, std::chars_format::scientific);
  std::string_view sci(buf, std::size_t(r.ptr - buf));
  // Split "-d.ddde±x" into sign, digits and decimal exponent.
  bool neg = !sci.empty() && sci[0] == '-';
  if (neg) sci.remove_prefix(1);
  std::size_t epos = sci.find('e');
  if (!std::isfinite(d) || epos == std::string_view::npos) {
    out.append(buf, r.ptr);
    return;
  }
  std::string digits;
  for (char c : sci.substr(0, epos))
    if (c != '.') digits.push_back(c);
  int exp = 0;
  std::from_chars(sci.data() + epos + 1 + (sci[epos + 1] == '+'), sci.data() + sci.size(), exp);
  if (neg) out.push_back('-');
  int decpt = exp + 1;  // digits before the decimal point
  if (decpt < -3 || decpt > 15) {
    out.push_back(digits[0]);
    if (digits.size() > 1) {
      out.push_back('.');
      out.append(digits, 1);
    }
    out.push_back('e');
    out += std::to_string(exp);
  } else if (decpt <= 0) {
    out += "0.";
    out.append(std::size_t(-decpt), '0');
    out += digits;
  } else if (std::size_t(decpt) >= digits.size()) {
    out += digits;
    out.append(std::size_t(decpt) - digits.size(), '0');
    out += ".0";
  } else {
    out.append(digits, 0, std::size_t(decpt));
    out.push_back('.');
    out.append(digits, std::size_t(decpt));
  }
}

result<void> json_binary_to_text(bytes_view doc, std::string& out) {
  if (doc.empty()) {
    out += "null";
    return {};
  }
  std::size_t start = out.size();
  json_printer p{out};
  if (!p.value(doc[0], doc.subspan(1), 0)) {
    out.resize(start);
    return make_error(errc::corrupt, "binary JSON value of {} bytes is malformed", doc.size());
  }
  return {};
}

}  // namespace binrelay::binlog

namespace binrelay::binlog {

result<void> json_binary_to_unquoted_text(bytes_view doc, std::string& out) {
  constexpr std::uint8_t string_type = 0x0c, opaque_type = 0x0f, newdecimal = 246;
  if (!doc.empty() && doc[0] == string_type) {
    byte_reader r(doc.subspan(1));
    std::uint64_t length = 0;
    for (int shift = 0; shift < 35 && r.ok(); shift += 7) {
      const std::uint8_t b = r.u8();
      length |= std::uint64_t(b & 0x7f) << shift;
      if (!(b & 0x80)) break;
    }
    if (!r.ok() || length > r.remaining())
      return make_error(errc::corrupt, "binary JSON string of {} bytes is malformed", doc.size());
    out += as_string_view(r.bytes(length));
    return {};
  }
  const std::size_t start = out.size();
  if (auto r = json_binary_to_text(doc, out); !r) return r;
  const bool bare = doc.size() > 1 && doc[0] == opaque_type && doc[1] != newdecimal;
  if (bare && out.size() - start >= 2 && out[start] == '"' && out.back() == '"') {
    out.pop_back();
    out.erase(start, 1);
  }
  return {};
}

}  // namespace binrelay::binlog
