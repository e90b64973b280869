// Fuzzes decode_event: the first byte picks the format context (MySQL 8.0 with CRC32,
// MySQL 5.6 without, MariaDB 10.11 with CRC32), the rest is one raw event. Decoding must
// return a value or an error, never crash or read out of bounds; a decoded event's checksum
// check and re-dispatch must be equally safe.

#include <cstddef>
#include <cstdint>

#include "binlog/checksum.h"
#include "binlog/event.h"

namespace {

using namespace binrelay::binlog;

format_description context(std::uint8_t selector) {
  switch (selector % 3) {
    case 0: {
      auto f = default_format_description(false);
      f.server_version = "8.0.35";
      f.checksum = checksum_alg::crc32;
      return f;
    }
    case 1: {
      auto f = default_format_description(false);
      f.server_version = "5.6.51-log";
      return f;
    }
    default: {
      auto f = default_format_description(true);
      f.checksum = checksum_alg::crc32;
      return f;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  static const format_description contexts[3] = {context(0), context(1), context(2)};
  const format_description& fde = contexts[data[0] % 3];
  binrelay::bytes_view raw(data + 1, size - 1);
  auto d = decode_event(raw, fde);
  if (d) {
    (void)verify_event_checksum(d->raw, fde.checksum);
    if (auto* q = std::get_if<query_event>(&d->body)) (void)q->text().size();
  }
  (void)decode_format_description(raw);
  return 0;
}
