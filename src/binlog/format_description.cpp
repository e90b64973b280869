#include "binlog/format_description.h"

#include <algorithm>
#include <charconv>

namespace binrelay::binlog {

namespace {

constexpr std::size_t server_version_size = 50;
// binlog_version u16 + server_version[50] + create_timestamp u32 + header_length u8.
constexpr std::size_t fde_fixed_size = 2 + server_version_size + 4 + 1;

// {major, minor, patch} of "5.7.30-log", "10.11.6-MariaDB"; parsing stops at the first
// character that is neither a digit nor a dot.
std::array<int, 3> parse_version(std::string_view v) {
  std::array<int, 3> out{0, 0, 0};
  const char* p = v.data();
  const char* end = v.data() + v.size();
  for (int i = 0; i < 3 && p < end; ++i) {
    int n = 0;
    auto [next, ec] = std::from_chars(p, end, n);
    if (ec != std::errc{}) return {0, 0, 0};
    out[i] = n;
    p = next;
    if (p < end && *p == '.')
      ++p;
    else
      break;
  }
  return out;
}

// Post-header lengths MySQL 5.7 writes for types 1..38, then 8.0/9.x's 39..42.
constexpr std::uint8_t mysql_post_header[] = {
    0x38, 0x0d, 0x00, 0x08, 0x00, 0x12, 0x00, 0x04, 0x04, 0x04, 0x04, 0x12, 0x00, 0x00,
    0x5f, 0x00, 0x04, 0x1a, 0x08, 0x00, 0x00, 0x00, 0x08, 0x08, 0x08, 0x02, 0x00, 0x00,
    0x00, 0x0a, 0x0a, 0x0a, 0x2a, 0x2a, 0x00, 0x12, 0x34, 0x00, 0x0a, 0x28, 0x00, 0x00};

// MariaDB 10.2+: types 1..32 as MySQL 5.x, 33..159 unused, then its own 160..171.
format_description mariadb_default() {
  format_description f;
  f.server_version = "10.11.0-MariaDB";
  f.post_header_len.assign(171, 0);
  std::copy_n(mysql_post_header, 32, f.post_header_len.begin());
  const std::uint8_t own[] = {0x00, 0x04, 0x13, 0x04, 0x00, 0x0d,
                              0x08, 0x08, 0x08, 0x0a, 0x0a, 0x0a};
  std::copy(std::begin(own), std::end(own), f.post_header_len.begin() + 159);
  f.post_header_len[14] = std::uint8_t(fde_fixed_size + 171 + 1);  // FDE itself
  return f;
}

// Legacy numbering (format_description::legacy_type_numbers): the standard type of on-disk
// types 16..22, and back.
constexpr std::uint8_t legacy_first = 16, legacy_last = 22;
constexpr std::uint8_t legacy_to_standard[] = {19, 20, 21, 22, 16, 17, 18};
constexpr std::uint8_t standard_to_legacy[] = {20, 21, 22, 16, 17, 18, 19};

}  // namespace

bool has_legacy_type_numbers(std::string_view v) {
  if (v.size() < 13 || v[0] != '5' || v[1] != '.' || v[3] != '.' || v.substr(5, 7) != "-a_drop")
    return false;
  const char minor = v[2], patch = v[4], drop = v[12];
  return (minor == '1' && patch >= '1' && patch <= '5' && drop == '5') ||
         (minor == '1' && patch == '4' && drop == '6') ||
         (minor == '2' && patch >= '0' && patch <= '2' && drop == '6');
}

event_type format_description::canonical_type(event_type on_disk) const {
  const auto n = static_cast<std::uint8_t>(on_disk);
  if (!legacy_type_numbers || n < legacy_first || n > legacy_last) return on_disk;
  return static_cast<event_type>(legacy_to_standard[n - legacy_first]);
}

std::size_t format_description::legacy_on_disk_number(std::size_t standard) {
  if (standard < legacy_first || standard > legacy_last) return standard;
  return standard_to_legacy[standard - legacy_first];
}

std::array<int, 3> format_description::version_triple() const {
  return parse_version(server_version);
}

bool fde_has_checksum_alg(std::string_view server_version) {
  auto v = parse_version(server_version);
  bool mariadb = server_version.find("MariaDB") != std::string_view::npos;
  std::array<int, 3> split = mariadb ? std::array<int, 3>{5, 3, 0} : std::array<int, 3>{5, 6, 1};
  return v >= split;
}

result<format_description> decode_format_description(bytes_view event) {
  auto h = decode_event_header(event);
  if (!h) return h.error();
  if (h->type == event_type::start_v3) {
    return make_error(errc::unsupported, "binlog format v1/v3 (MySQL 3.23/4.0) is not supported");
  }
  if (h->type != event_type::format_description) {
    return make_error(errc::corrupt, "expected a Format_desc event, found type {}",
                      static_cast<int>(h->type));
  }
  if (event.size() < h->event_size) {
    return make_error(errc::truncated, "Format_desc event claims {} bytes, have {}", h->event_size,
                      event.size());
  }
  byte_reader r(event.subspan(event_header_size, h->event_size - event_header_size));
  format_description f;
  f.binlog_version = r.u16();
  std::string_view version = r.str(server_version_size);
  f.server_version.assign(version.substr(0, version.find('\0')));
  f.create_timestamp = r.u32();
  f.header_length = r.u8();
  if (!r.ok()) {
    return make_error(errc::truncated,
                      "Format_desc event of {} bytes is shorter than its {}-byte "
                      "fixed part",
                      h->event_size, event_header_size + fde_fixed_size);
  }
  if (f.binlog_version < 4) {
    return make_error(errc::unsupported, "binlog format v{} (MySQL 3.23/4.0) is not supported",
                      f.binlog_version);
  }
  if (f.header_length < event_header_size) {
    return make_error(errc::corrupt, "Format_desc event header length is {}, less than 19",
                      f.header_length);
  }
  bytes_view rest = r.rest();
  if (fde_has_checksum_alg(f.server_version)) {
    if (rest.size() < 1 + checksum_size) {
      return make_error(errc::truncated,
                        "Format_desc event of server {} lacks its checksum "
                        "algorithm byte",
                        f.server_version);
    }
    std::uint8_t alg = rest[rest.size() - checksum_size - 1];
    if (alg > 1 && alg != 255) {
      return make_error(errc::unsupported, "Format_desc event names unknown checksum algorithm {}",
                        alg);
    }
    f.checksum = alg == 1 ? checksum_alg::crc32 : checksum_alg::off;
    rest = rest.first(rest.size() - checksum_size - 1);
  }
  f.post_header_len.assign(rest.begin(), rest.end());
  f.legacy_type_numbers =
      f.post_header_len.size() == legacy_last && has_legacy_type_numbers(f.server_version);
  return f;
}

format_description default_format_description(bool mariadb) {
  if (mariadb) return mariadb_default();
  format_description f;
  f.server_version = "5.7.0";
  f.post_header_len.assign(std::begin(mysql_post_header), std::end(mysql_post_header));
  return f;
}

}  // namespace binrelay::binlog
