#pragma once
// FORMAT_DESCRIPTION_EVENT (type 15): the first event of every binlog file. It tells the
// server version, the length of every event type's post-header, and the checksum algorithm.
// Every other event is decoded in the context of the file's (or stream's) current FDE.
// Layout: docs/formats.md, "Format description".

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "binlog/event_header.h"
#include "common/bytes.h"
#include "common/result.h"

namespace binrelay::binlog {

enum class checksum_alg : std::uint8_t { off = 0, crc32 = 1, undefined = 255 };

struct format_description {
  std::uint16_t binlog_version = 4;
  std::string server_version;  // e.g. "8.0.32" or "10.11.6-MariaDB-log"
  std::uint32_t create_timestamp = 0;
  // Common header length of the file's events. Always 19 from real servers; MariaDB reads
  // longer headers (its tests write some) and ignores the bytes after the first 19.
  std::uint8_t header_length = 19;
  // post_header_len[t - 1] = post-header length of event type t.
  std::vector<std::uint8_t> post_header_len;
  checksum_alg checksum = checksum_alg::off;
  // Development trees of MySQL 5.1.1-5.2.2 (server versions "5.1.[1-5]-a_drop5*",
  // "5.1.4-a_drop6*", "5.2.[0-2]-a_drop6*") numbered types 16..22 differently: on disk
  // 16 = TABLE_MAP, 17..19 = PRE_GA_WRITE/UPDATE/DELETE_ROWS, 20 = XID, 21 = BEGIN_LOAD_QUERY,
  // 22 = EXECUTE_LOAD_QUERY. Set by decode_format_description for such an FDE with 22
  // post-header lengths; post_header_len stays in on-disk order.
  bool legacy_type_numbers = false;

  // The standard type of an event whose header says `on_disk` (the identity unless
  // legacy_type_numbers). Decoders take standard types; decode_event() maps them itself.
  event_type canonical_type(event_type on_disk) const;
  // Post-header length of the standard type `t`, or 0 if the FDE does not list it.
  std::uint8_t post_header_length(event_type t) const {
    auto i = static_cast<std::size_t>(t);
    if (legacy_type_numbers) i = legacy_on_disk_number(i);
    return i >= 1 && i <= post_header_len.size() ? post_header_len[i - 1] : 0;
  }
  bool is_mariadb() const { return server_version.find("MariaDB") != std::string::npos; }
  // Bytes at the end of each event that hold a checksum (4 with CRC32, else 0).
  std::size_t checksum_length() const { return checksum == checksum_alg::crc32 ? 4 : 0; }
  // {major, minor, patch} parsed from server_version; {0,0,0} when unparsable.
  std::array<int, 3> version_triple() const;

 private:
  // The on-disk number of standard type number `standard` under legacy_type_numbers.
  static std::size_t legacy_on_disk_number(std::size_t standard);
};

// Whether `server_version` is one of the development trees with legacy type numbers.
bool has_legacy_type_numbers(std::string_view server_version);

// Decodes a whole FDE event (header included; `event` may extend past it). Checksum
// verification is separate (checksum.h). The checksum-algorithm byte and the 4-byte checksum
// slot that follows it exist only from MySQL 5.6.1 / MariaDB 5.3.0 on; they are always there
// in such an FDE, whatever the algorithm. Errors: truncated, corrupt (not an FDE, bad header
// length below 19), unsupported (a START_V3 event: binlog v1/v3, binlog_version < 4, unknown
// checksum algorithm).
result<format_description> decode_format_description(bytes_view event);

// Whether an FDE from `server_version` carries the checksum-algorithm byte and checksum slot.
bool fde_has_checksum_alg(std::string_view server_version);

// The FDE mysqlbinlog assumes for a v4 file that has none: binlog_version 4, checksum off,
// the post-header lengths of MySQL 5.x/8.0 (types 1..42) or MariaDB 10.x (types 1..172),
// server_version "5.7.0" or "10.11.0-MariaDB".
format_description default_format_description(bool mariadb);

}  // namespace binrelay::binlog
