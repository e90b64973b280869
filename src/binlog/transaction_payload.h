#pragma once
// TRANSACTION_PAYLOAD_EVENT (40, MySQL 8.0.20+ with binlog_transaction_compression=ON): one
// transaction's events (BEGIN, Table_map, rows..., XID — the GTID event stays outside),
// compressed with zstd. The body is a header of fields `type lenenc | length lenenc | value`
// (value a lenenc integer filling `length` bytes) ended by type 0, then the payload:
//   2 COMPRESSION_TYPE  (0 zstd, 255 none)
//   3 UNCOMPRESSED_SIZE (written only when compressed)
//   1 PAYLOAD_SIZE      (bytes of payload after the header)
// Unknown field types are skipped by their length. The inner events are plain v4 events with
// no checksum, whatever the file's checksum setting.
// Format: docs/formats.md, "Binlog files and transaction payloads".

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "binlog/event_header.h"
#include "binlog/file_reader.h"
#include "binlog/format_description.h"
#include "common/bytes.h"
#include "common/result.h"

namespace binrelay::binlog {

enum class payload_compression : std::uint8_t { zstd = 0, none = 255 };

// Largest uncompressed payload accepted by default (a transaction cache larger than this is
// refused by MySQL's own max_binlog_cache_size defaults long before).
inline constexpr std::size_t default_max_uncompressed_payload = std::size_t(1) << 30;

struct transaction_payload_event {
  payload_compression compression = payload_compression::none;
  std::uint64_t uncompressed_size = 0;  // 0 when not written (compression none)
  bool has_uncompressed_size = false;
  bytes_view payload;  // into the caller's buffer; payload.size() == PAYLOAD_SIZE
};

// Decodes the field header and locates the payload. Errors: truncated (a field or the payload
// is cut short), corrupt (bytes after the payload, a field value that does not fill its
// length), unsupported (a compression type other than zstd/none).
result<transaction_payload_event> decode_transaction_payload_event(const event_header& h,
                                                                   bytes_view body,
                                                                   const format_description& fde);

// Appends the body (field header + payload) exactly as MySQL writes it.
void encode_transaction_payload_body(const transaction_payload_event& ev, byte_writer& out);

// The inner events, uncompressed. Fails with too_large when UNCOMPRESSED_SIZE exceeds
// `max_size`, corrupt when zstd fails or the output is not exactly UNCOMPRESSED_SIZE bytes.
result<std::vector<std::uint8_t>> decompress_transaction_payload(
    const transaction_payload_event& ev, std::size_t max_size = default_max_uncompressed_payload);

// The FDE to decode inner events with: `outer` with checksums off.
format_description inner_format(const format_description& outer);

// Iterates the events of an uncompressed payload. raw_event::offset is the offset inside the
// payload; raw_event::bytes point into `events`, which must outlive the iterator's results.
class payload_event_iterator {
 public:
  explicit payload_event_iterator(bytes_view events) : events_(events) {}
  // The next inner event, or nullopt after the last. Errors (final): truncated, corrupt.
  result<std::optional<raw_event>> next();

 private:
  bytes_view events_;
  std::size_t pos_ = 0;
};

// Decompresses `payload` (the body of the file event `outer`, read with format `outer_fde`) and
// calls `visit(const raw_event& inner, const format_description& inner_fde) -> result<void>`
// for each inner event in order. Inner events carry outer.offset, their place in the file.
// Stops at the first error of the payload or of `visit`, and returns it.
template <class Visit>
result<void> for_each_payload_event(const transaction_payload_event& payload,
                                    const raw_event& outer, const format_description& outer_fde,
                                    Visit&& visit) {
  auto inner = decompress_transaction_payload(payload);
  if (!inner) return std::move(inner).error();
  const format_description inner_fde = inner_format(outer_fde);
  payload_event_iterator it(*inner);
  while (true) {
    auto next = it.next();
    if (!next) return std::move(next).error();
    if (!*next) return {};
    raw_event e = **next;
    e.offset = outer.offset;
    if (auto r = visit(static_cast<const raw_event&>(e), inner_fde); !r) return r;
  }
}

}  // namespace binrelay::binlog
