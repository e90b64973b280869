#pragma once
// decoded_event: one binlog event decoded into the struct of its family, for every event type
// of MySQL 5.0-9.x and MariaDB 5.5-11.x. decode_event() dispatches on the header's type;
// types without a decoder (LOAD-era events, TRANSACTION_CONTEXT, VIEW_CHANGE, IGNORABLE,
// vendor types) become unknown_event and are carried byte-exact, never dropped.
// Layouts: docs/formats.md.
//
// GTID_TAGGED (42) decodes into gtid_event with its tag set (gtid_tagged_event.h).
//
// Lifetime: every view in a decoded_event (raw, and the views inside `body`) points into the
// caller's raw_event buffer, which must outlive it. A value type; not thread-safe.

#include <algorithm>
#include <variant>

#include "binlog/control_events.h"
#include "binlog/event_header.h"
#include "binlog/format_description.h"
#include "binlog/gtid_event.h"
#include "binlog/mariadb_events.h"
#include "binlog/previous_gtids_event.h"
#include "binlog/query_event.h"
#include "binlog/rows_event.h"
#include "binlog/table_map_event.h"
#include "binlog/transaction_payload.h"
#include "common/bytes.h"
#include "common/result.h"

namespace binrelay::binlog {

// An event binrelay has no decoder for; `body` excludes the header and the checksum.
struct unknown_event {
  bytes_view body;
};

using event_body =
    std::variant<unknown_event, format_description, start_v3_event, query_event, rotate_event,
                 stop_event, xid_event, intvar_event, rand_event, user_var_event, incident_event,
                 heartbeat_event, rows_query_event, xa_prepare_event, gtid_event,
                 previous_gtids_event, table_map_event, rows_event, transaction_payload_event,
                 mariadb_gtid_event, mariadb_gtid_list_event, mariadb_binlog_checkpoint_event,
                 mariadb_annotate_rows_event, mariadb_start_encryption_event>;

struct decoded_event {
  event_header header;
  bytes_view raw;         // the whole event: header, body, checksum
  bytes_view body_bytes;  // between the header (fde.header_length bytes) and the checksum
  event_body body;
};

// Decodes one whole event (header + body + checksum) in the context of `fde`, the current
// FORMAT_DESCRIPTION of its file or stream. The checksum is not verified (checksum.h). An FDE
// is decoded from its own bytes (its checksum slot depends on its server version, not on
// `fde`). `raw_event` may be longer than the event; only header.event_size bytes are used.
// Errors: truncated (raw shorter than event_size, or event_size too small for header and
// checksum) and every error of the family decoder, prefixed with the event type.
result<decoded_event> decode_event(bytes_view raw_event, const format_description& fde);

}  // namespace binrelay::binlog
