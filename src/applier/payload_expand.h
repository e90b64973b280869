#pragma once
// payload_expand: a MySQL compressed transaction (binlog_transaction_compression=ON) as the
// transaction it carries. On the wire and in the relay log it is a GTID event followed by one
// TRANSACTION_PAYLOAD event holding, zstd-compressed, BEGIN, the TABLE_MAP and rows events and
// the XID (format: docs/formats.md, "Binlog files and transaction payloads"). The applier
// works on the inner events: replayed as BINLOG statements (a server does not take a payload
// event in BINLOG) or turned into SQL.
//
// Sans-I/O.

#include "applier/relay_transaction.h"
#include "common/result.h"

namespace binrelay::applier {

// Whether txn holds a TRANSACTION_PAYLOAD event.
bool has_payload(const relay_transaction& txn);

// Replaces every TRANSACTION_PAYLOAD event of `txn` by its inner events, each given the outer
// format's checksum (inner events have none) and the payload event's end_log_pos (for error
// messages), then re-derives has_begin and `schedule.exclusive` from them (the relay reader saw
// one statement-like event and marked the transaction exclusive). Other events are kept.
// Errors: the payload's (truncated, corrupt, unsupported compression, too_large).
result<void> expand_payload(relay_transaction& txn);

}  // namespace binrelay::applier
