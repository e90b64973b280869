#pragma once
// PREVIOUS_GTIDS_LOG_EVENT (35): written after the FDE of every MySQL 5.6+ binlog, it holds
// the GTID set of all transactions in earlier files. The body is the binary Gtid_set encoding
// (gtid/gtid_set.h; untagged, or tagged since 8.3). Layout: docs/formats.md, "Previous GTIDs".

#include "binlog/event_header.h"
#include "binlog/format_description.h"
#include "common/bytes.h"
#include "common/result.h"
#include "gtid/gtid_set.h"

namespace binrelay::binlog {

struct previous_gtids_event {
  gtid::gtid_set gtids;
  bytes_view raw;  // the encoded set, as in the event (points into the caller's buffer)
};

// Errors: those of gtid_set::decode_binary, prefixed with the event name.
result<previous_gtids_event> decode_previous_gtids_event(const event_header& h, bytes_view body,
                                                         const format_description& fde);

}  // namespace binrelay::binlog
