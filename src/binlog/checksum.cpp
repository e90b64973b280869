#include "binlog/checksum.h"

#include <algorithm>
#include <cassert>
#include <string>

#include "common/crc32.h"

namespace binrelay::binlog {

std::uint32_t compute_event_crc32(bytes_view event_without_crc) {
  assert(event_without_crc.size() >= event_header_size);
  const std::uint8_t* p = event_without_crc.data();
  if (p[type_offset] != static_cast<std::uint8_t>(event_type::format_description) ||
      (p[flags_offset] & flag_binlog_in_use) == 0) {
    return crc32(event_without_crc);
  }
  std::uint8_t header[event_header_size];
  std::copy_n(p, event_header_size, header);
  header[flags_offset] &= std::uint8_t(~flag_binlog_in_use);
  std::uint32_t crc = crc32(bytes_view(header, event_header_size));
  return crc32_update(crc, event_without_crc.subspan(event_header_size));
}

result<void> verify_event_checksum(bytes_view raw_event, checksum_alg alg,
                                   std::optional<std::uint64_t> file_offset) {
  if (alg != checksum_alg::crc32) return {};
  if (raw_event.size() < event_header_size + checksum_size) {
    return make_error(errc::truncated, "event of {} bytes cannot hold a header and a CRC32",
                      raw_event.size());
  }
  bytes_view covered = raw_event.first(raw_event.size() - checksum_size);
  std::uint32_t stored = load_u32(raw_event.data() + covered.size());
  std::uint32_t computed = compute_event_crc32(covered);
  if (stored == computed) return {};
  auto type = static_cast<event_type>(raw_event[type_offset]);
  std::uint32_t log_pos = load_u32(raw_event.data() + log_pos_offset);
  std::string where = file_offset ? fmt::format(" at offset {}", *file_offset) : std::string();
  return make_error(errc::checksum_mismatch,
                    "{} event{} (log_pos {}, {} bytes) fails its CRC32 check: stored 0x{:08x}, "
                    "computed 0x{:08x}",
                    event_type_name(type), where, log_pos, raw_event.size(), stored, computed);
}

void finalize_event(std::vector<std::uint8_t>& event, checksum_alg alg) {
  assert(event.size() >= event_header_size);
  bool crc = alg == checksum_alg::crc32;
  store_u32(event.data() + 9, std::uint32_t(event.size() + (crc ? checksum_size : 0)));
  if (!crc) return;
  std::uint32_t c = compute_event_crc32(event);
  byte_writer(event).u32(c);
}

}  // namespace binrelay::binlog
