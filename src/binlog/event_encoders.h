#pragma once
// Encoders for the events binrelay writes itself: the FORMAT_DESCRIPTION, ROTATE and
// PREVIOUS_GTIDS / GTID_LIST that open a relay log file, GTID events, heartbeats to replicas,
// and empty transactions (to mark a skipped GTID as executed). Layouts: docs/formats.md.
//
// Each encoder returns a complete event: the 19-byte header from `h` (the encoder sets type
// and event_size; timestamp, server_id, log_pos and flags are the caller's), the body, and a
// CRC32 when `alg` is crc32. Re-encoding a decoded event gives back its exact bytes (the
// decoders keep every optional field and unknown trailing bytes for this).

#include <cstdint>
#include <string_view>
#include <vector>

#include "binlog/control_events.h"
#include "binlog/event_header.h"
#include "binlog/format_description.h"
#include "binlog/gtid_event.h"
#include "binlog/mariadb_events.h"
#include "binlog/query_event.h"
#include "gtid/gtid_set.h"

namespace binrelay::binlog {

using event_bytes = std::vector<std::uint8_t>;

// The FDE's own algorithm (f.checksum) decides its CRC. The checksum-algorithm byte and the
// 4-byte slot are written iff fde_has_checksum_alg(f.server_version); the slot then always
// holds the CRC (servers checksum the FDE even with binlog_checksum=NONE). With
// flag_binlog_in_use in h.flags the CRC is computed with the flag cleared, as servers do.
// REQUIRES: f.server_version.size() < 50.
event_bytes encode_format_description_event(event_header h, const format_description& f);

event_bytes encode_rotate_event(event_header h, const rotate_event& e, checksum_alg alg);

event_bytes encode_previous_gtids_event(event_header h, const gtid::gtid_set& gtids,
                                        checksum_alg alg);

// GTID, or ANONYMOUS_GTID when e.anonymous, or GTID_TAGGED (gtid_tagged_event.h) when e.tag
// is set. Writes the optional fields present in `e`, in order, then e.trailing.
// REQUIRES: for GTID/ANONYMOUS_GTID an optional field is present only if every earlier one is.
event_bytes encode_gtid_event(event_header h, const gtid_event& e, checksum_alg alg);

// server_id comes from h, not e.server_id.
event_bytes encode_mariadb_gtid_event(event_header h, const mariadb_gtid_event& e,
                                      checksum_alg alg);
// Writes e.trailing after the list; an empty list without trailing bytes gets the 2 zero
// bytes of padding MariaDB writes.
event_bytes encode_mariadb_gtid_list_event(event_header h, const mariadb_gtid_list_event& e,
                                           checksum_alg alg);

// HEARTBEAT (v1: h.log_pos is set to e.log_position) or HEARTBEAT_V2 (when e.v2).
event_bytes encode_heartbeat_event(event_header h, const heartbeat_event& e, checksum_alg alg);

// QUERY from its fields: status_vars_raw, db and query_raw are written as they are.
// REQUIRES: !e.compressed, e.db.size() < 256, e.status_vars_raw.size() < 65536.
event_bytes encode_query_event(event_header h, const query_event& e, checksum_alg alg);

// Appends the status-variable block for `v` (fields in increasing code order; the inverse
// of parse_query_status_vars for blocks without unknown codes).
void encode_query_status_vars(const query_status_vars& v, std::vector<std::uint8_t>& out);

// What an empty transaction is stamped with.
struct empty_transaction {
  std::uint32_t timestamp = 0;
  std::uint32_t server_id = 0;
  std::uint64_t start_position = 0;  // file offset of its first event (log_pos base)
  std::uint32_t thread_id = 0;
};

// MySQL: GTID + QUERY "BEGIN" + QUERY "COMMIT", the events MySQL writes for
// `SET GTID_NEXT='sid:gno'; BEGIN; COMMIT;`. `gtid` supplies sid, gno and the optional
// fields (set lt_type etc. as the target format needs).
event_bytes encode_mysql_empty_transaction(const empty_transaction& t, const gtid_event& gtid,
                                           checksum_alg alg);

// MariaDB logs nothing for an empty BEGIN/COMMIT; the smallest group it writes itself is a
// (non-standalone) GTID then QUERY "COMMIT" (a transaction on a non-transactional table
// without rows). Uses gtid.seq_no/domain_id/flags2; server_id from t.
event_bytes encode_mariadb_empty_transaction(const empty_transaction& t,
                                             const mariadb_gtid_event& gtid, checksum_alg alg);

}  // namespace binrelay::binlog
