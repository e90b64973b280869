#pragma once
// GTID_TAGGED_LOG_EVENT (42, MySQL 8.3+): a GTID with a tag (`uuid:tag:gno`). Unlike
// GTID_LOG_EVENT its body is one `mysql::serialization` message (mysql_serialization.h) whose
// fields are, by id:
//   0 gtid_flags u8 · 1 sid (16 varints of one byte each) · 2 gno (signed) · 3 tag (length
//   varint + bytes, <= 32) · 4 last_committed (signed) · 5 sequence_number (signed) ·
//   6 immediate_commit_timestamp · 7 original_commit_timestamp (only when it differs) ·
//   8 transaction_length · 9 immediate_server_version · 10 original_server_version (only when
//   it differs) · 11 commit_group_ticket (only when set)
// all varints. Decoded into the same struct as GTID/ANONYMOUS_GTID (gtid_event.h): lt_type is
// set to logical_timestamp_typecode when the clock fields are present; fields of later
// versions (ids above 11) are kept in `trailing`.
// Format: docs/formats.md, "Tagged GTID".

#include "binlog/event_header.h"
#include "binlog/format_description.h"
#include "binlog/gtid_event.h"
#include "common/bytes.h"
#include "common/result.h"

namespace binrelay::binlog {

// Errors: truncated (the message or a field is cut short), corrupt (message size disagrees
// with the body, field ids out of order, a value out of its type's range, GNO outside
// 1..2^63-2), unsupported (another serialization version, unknown non-ignorable fields).
result<gtid_event> decode_gtid_tagged_event(const event_header& h, bytes_view body,
                                            const format_description& fde);

// Appends the body (the message) as MySQL writes it: every field, the optional ones when
// present in `e`, then e.trailing. Byte-exact for every event a server wrote.
// REQUIRES: !e.anonymous, e.tag.size() <= 32.
void encode_gtid_tagged_body(const gtid_event& e, byte_writer& out);

}  // namespace binrelay::binlog
