#pragma once
// FORMAT_DESCRIPTION_EVENT (type 15): the first event of every binlog file. It tells the
// server version, the length of every event type's post-header, and the checksum algorithm.
// Every other event is decoded in the context of the file's (or stream's) current FDE.
// Layout: docs/formats.md, "Format description".

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "binlog/event_header.h"
#include "common/bytes.h"
#include "common/result.h"

namespace binrelay::binlog {

enum class checksum_alg : std::uint8_t { off = 0, crc32 = 1, undefined = 255 };

struct format_description {
  std::uint16_t binlog_version = 4;
  std::string server_version;     // e.g. "8.0.32" or "10.11.6-MariaDB-log"
  std::uint32_t create_timestamp = 0;
  std::uint8_t header_length = 19;
  // post_header_len[t - 1] = post-header length of event type t.
  std::vector<std::uint8_t> post_header_len;
  checksum_alg checksum = checksum_alg::off;

  // Post-header length of type `t`, or 0 if the FDE does not list it.
  std::uint8_t post_header_length(event_type t) const {
    auto i = static_cast<std::size_t>(t);
    return i >= 1 && i <= post_header_len.size() ? post_header_len[i - 1] : 0;
  }
  bool is_mariadb() const { return server_version.find("MariaDB") != std::string::npos; }
  // Bytes at the end of each event that hold a checksum (4 with CRC32, else 0).
  std::size_t checksum_length() const { return checksum == checksum_alg::crc32 ? 4 : 0; }
  // {major, minor, patch} parsed from server_version; {0,0,0} when unparsable.
  std::array<int, 3> version_triple() const;
};

// Decodes a whole FDE event (header included). Checksum verification is separate
// (checksum.h); the FDE always has the 4-byte checksum slot when the alg byte is present.
result<format_description> decode_format_description(bytes_view event);

// The FDE mysqlbinlog assumes for a v4 file that has none, for the given server flavour.
format_description default_format_description(bool mariadb);

}  // namespace binrelay::binlog
