#pragma once
// MySQL GTID_LOG_EVENT (33) and ANONYMOUS_GTID_LOG_EVENT (34): the first event of every
// transaction in a MySQL 5.6+ binlog. GTID_TAGGED_LOG_EVENT (42, MySQL 8.3+) carries the same
// fields plus a tag and is decoded into this struct by gtid_tagged_event.h.
// Layout: docs/formats.md, "GTID".
//
// Everything after the GNO is optional and present by length: a server writes the fields it
// knows, in order, and a reader takes those that fit. Each optional field is a std::optional
// so that an event re-encodes (event_encoders.h) to exactly its original bytes.

#include <cstdint>
#include <optional>
#include <string>

#include "binlog/event_header.h"
#include "binlog/format_description.h"
#include "common/bytes.h"
#include "common/result.h"
#include "gtid/uuid.h"

namespace binrelay::binlog {

inline constexpr std::uint8_t gtid_flag_may_have_sbr = 0x01;
inline constexpr std::uint8_t logical_timestamp_typecode = 2;
// Marks a commit timestamp / server version that is followed by its "original" counterpart.
inline constexpr std::uint64_t commit_ts_has_original_bit = 1ull << 55;
inline constexpr std::uint32_t server_version_has_original_bit = 1u << 31;

struct gtid_event {
  bool anonymous = false;  // ANONYMOUS_GTID: sid nil, gno 0
  std::uint8_t flags = 0;  // gtid_flag_may_have_sbr
  gtid::uuid sid;
  std::uint64_t gno = 0;
  std::string tag;  // GTID_TAGGED only; "" otherwise

  // lt_type 2 is followed by last_committed and sequence_number; both absent before 5.7.
  std::optional<std::uint8_t> lt_type;
  std::int64_t last_committed = 0;
  std::int64_t sequence_number = 0;
  // Microseconds since the epoch, 7 bytes each (8.0.1+). original_commit_timestamp is
  // present iff written (bit 55 of the immediate one); when absent it equals the immediate.
  std::optional<std::uint64_t> immediate_commit_timestamp;
  std::optional<std::uint64_t> original_commit_timestamp;
  std::optional<std::uint64_t> transaction_length;  // lenenc (8.0.2+)
  // e.g. 80035; original present iff written (bit 31 of the immediate one).
  std::optional<std::uint32_t> immediate_server_version;
  std::optional<std::uint32_t> original_server_version;
  std::optional<std::uint64_t> commit_group_ticket;  // 8.0.33+, only when set
  // Bytes after the last field this decoder knows, kept for byte-exact re-encoding.
  bytes_view trailing;

  bool has_logical_clock() const { return lt_type == logical_timestamp_typecode; }
};

// Decodes GTID or ANONYMOUS_GTID. An lt_type other than 2 ends decoding (the rest is
// `trailing`), as MySQL does. Errors: truncated (mandatory fields, or a started optional field
// cut short).
result<gtid_event> decode_gtid_event(const event_header& h, bytes_view body,
                                     const format_description& fde);

}  // namespace binrelay::binlog
