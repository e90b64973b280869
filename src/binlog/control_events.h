#pragma once
// The small non-row events of MySQL and MariaDB binlogs: ROTATE, STOP, XID, INTVAR, RAND,
// USER_VAR, INCIDENT, HEARTBEAT (v1 and v2), ROWS_QUERY, XA_PREPARE and START_V3.
// Layouts: docs/formats.md, "Control events".
//
// Every decoder follows the shared convention (event.h): `body` is after the common header
// and before the checksum; string and byte views point into it.

#include <cstdint>
#include <optional>
#include <string_view>

#include "binlog/event_header.h"
#include "binlog/format_description.h"
#include "common/bytes.h"
#include "common/result.h"

namespace binrelay::binlog {

// ROTATE (4): the next file and where to start in it. In a replication stream the first
// event is an artificial rotate (flag_artificial, log_pos 0) naming the current file.
struct rotate_event {
  std::uint64_t position = 0;
  std::string_view new_log_name;
};

// STOP (3): the server shut down; the file ends here.
struct stop_event {};

// XID (16): commits a transaction of a transactional engine.
struct xid_event {
  std::uint64_t xid = 0;
};

// INTVAR (5): LAST_INSERT_ID (type 1) or INSERT_ID (type 2) for the next statement.
struct intvar_event {
  std::uint8_t type = 0;
  std::uint64_t value = 0;
};

// RAND (13): the seeds of RAND() for the next statement.
struct rand_event {
  std::uint64_t seed1 = 0;
  std::uint64_t seed2 = 0;
};

// USER_VAR (14): a user variable the next statement reads.
struct user_var_event {
  std::string_view name;
  bool is_null = false;
  std::uint8_t type = 0;      // Item_result: 0 STRING, 1 REAL, 2 INT, 4 DECIMAL
  std::uint32_t charset = 0;  // collation number
  bytes_view value;
  std::optional<std::uint8_t> flags;  // 1 = UNSIGNED; absent before 5.1
};

// INCIDENT (26): something happened that a replica cannot replay (e.g. lost events).
struct incident_event {
  std::uint16_t incident = 0;  // 1 = LOST_EVENTS
  std::string_view message;
};

// HEARTBEAT (27) and HEARTBEAT_V2 (41): sent by a primary when idle; never in files.
// v1 carries the position in the header's log_pos (4 GiB limit); v2 in the body.
struct heartbeat_event {
  bool v2 = false;
  std::string_view log_filename;
  std::uint64_t log_position = 0;
};

// ROWS_QUERY (29): the statement that produced the following rows events (informational).
struct rows_query_event {
  std::string_view query;
};

// XA_PREPARE (38): ends the first phase of an XA transaction.
struct xa_prepare_event {
  bool one_phase = false;
  std::uint32_t format_id = 0;
  std::uint32_t gtrid_length = 0;
  std::uint32_t bqual_length = 0;
  bytes_view data;  // gtrid then bqual
};

// START_V3 (1): first event of v1/v3 binlogs (MySQL 3.23-4.x); only identified, never used.
struct start_v3_event {
  std::uint16_t binlog_version = 0;
  std::string_view server_version;
  std::uint32_t create_timestamp = 0;
};

result<rotate_event> decode_rotate_event(const event_header& h, bytes_view body,
                                         const format_description& fde);
result<stop_event> decode_stop_event(const event_header& h, bytes_view body,
                                     const format_description& fde);
result<xid_event> decode_xid_event(const event_header& h, bytes_view body,
                                   const format_description& fde);
result<intvar_event> decode_intvar_event(const event_header& h, bytes_view body,
                                         const format_description& fde);
result<rand_event> decode_rand_event(const event_header& h, bytes_view body,
                                     const format_description& fde);
result<user_var_event> decode_user_var_event(const event_header& h, bytes_view body,
                                             const format_description& fde);
result<incident_event> decode_incident_event(const event_header& h, bytes_view body,
                                             const format_description& fde);
// For HEARTBEAT (position from h.log_pos) and HEARTBEAT_V2 (TLV body).
result<heartbeat_event> decode_heartbeat_event(const event_header& h, bytes_view body,
                                               const format_description& fde);
result<rows_query_event> decode_rows_query_event(const event_header& h, bytes_view body,
                                                 const format_description& fde);
result<xa_prepare_event> decode_xa_prepare_event(const event_header& h, bytes_view body,
                                                 const format_description& fde);
result<start_v3_event> decode_start_v3_event(const event_header& h, bytes_view body,
                                             const format_description& fde);

// HEARTBEAT_V2 body field types (lenenc type, lenenc length, value).
enum class heartbeat_field : std::uint8_t { end = 0, log_filename = 1, log_position = 2 };

}  // namespace binrelay::binlog
