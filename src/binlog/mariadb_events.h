#pragma once
// MariaDB's own events: GTID (162), GTID_LIST (163), BINLOG_CHECKPOINT (161), ANNOTATE_ROWS
// (160) and START_ENCRYPTION (164). Compressed QUERY (165) is in query_event.h, compressed
// rows events (166-172) in rows_event.h. Layouts: docs/formats.md, "MariaDB events".

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "binlog/event_header.h"
#include "binlog/format_description.h"
#include "common/bytes.h"
#include "common/result.h"
#include "gtid/mariadb_gtid.h"

namespace binrelay::binlog {

// GTID event flags2.
inline constexpr std::uint8_t mariadb_fl_standalone = 0x01;
inline constexpr std::uint8_t mariadb_fl_group_commit_id = 0x02;
inline constexpr std::uint8_t mariadb_fl_transactional = 0x04;
inline constexpr std::uint8_t mariadb_fl_allow_parallel = 0x08;
inline constexpr std::uint8_t mariadb_fl_waited = 0x10;
inline constexpr std::uint8_t mariadb_fl_ddl = 0x20;
inline constexpr std::uint8_t mariadb_fl_prepared_xa = 0x40;
inline constexpr std::uint8_t mariadb_fl_completed_xa = 0x80;
// GTID event flags_extra.
inline constexpr std::uint8_t mariadb_fl_extra_multi_engine = 0x01;
inline constexpr std::uint8_t mariadb_fl_start_alter = 0x02;
inline constexpr std::uint8_t mariadb_fl_commit_alter = 0x04;
inline constexpr std::uint8_t mariadb_fl_rollback_alter = 0x08;

struct mariadb_xid {
  std::uint32_t format_id = 0;
  std::uint8_t gtrid_length = 0;
  std::uint8_t bqual_length = 0;
  bytes_view data;  // gtrid then bqual
};

// GTID (162): starts an event group, replacing BEGIN; server_id is the header's.
struct mariadb_gtid_event {
  std::uint64_t seq_no = 0;
  std::uint32_t domain_id = 0;
  std::uint32_t server_id = 0;
  std::uint8_t flags2 = 0;
  std::optional<std::uint64_t> commit_id;  // iff mariadb_fl_group_commit_id
  std::optional<mariadb_xid> xid;          // iff prepared/completed XA (and no commit_id)
  std::optional<std::uint8_t> flags_extra;
  std::optional<std::uint8_t> extra_engines;  // iff flags_extra & multi_engine
  std::optional<std::uint64_t> sa_seq_no;     // iff flags_extra & commit/rollback_alter
  // Bytes after the last known field (newer servers), kept for byte-exact re-encoding.
  bytes_view trailing;

  gtid::mariadb_gtid gtid() const { return {domain_id, server_id, seq_no}; }
};

// GTID_LIST (163): the binlog state (last GTID per domain and server) at the start of a file.
struct mariadb_gtid_list_event {
  std::uint8_t flags = 0;  // high 4 bits of the count word
  std::vector<gtid::mariadb_gtid> gtids;
  // Bytes after the list: MariaDB pads an empty list with 2 zero bytes.
  bytes_view trailing;
};

// BINLOG_CHECKPOINT (161): the oldest file still needed for crash recovery.
struct mariadb_binlog_checkpoint_event {
  std::string_view log_name;
};

// ANNOTATE_ROWS (160): the statement behind the following rows events.
struct mariadb_annotate_rows_event {
  std::string_view query;
};

// START_ENCRYPTION (164): every later event of the file is encrypted.
struct mariadb_start_encryption_event {
  std::uint8_t scheme = 0;
  std::uint32_t key_version = 0;
  bytes_view nonce;  // 12 bytes
};

result<mariadb_gtid_event> decode_mariadb_gtid_event(const event_header& h, bytes_view body,
                                                     const format_description& fde);
result<mariadb_gtid_list_event> decode_mariadb_gtid_list_event(const event_header& h,
                                                               bytes_view body,
                                                               const format_description& fde);
result<mariadb_binlog_checkpoint_event> decode_mariadb_binlog_checkpoint_event(
    const event_header& h, bytes_view body, const format_description& fde);
result<mariadb_annotate_rows_event> decode_mariadb_annotate_rows_event(
    const event_header& h, bytes_view body, const format_description& fde);
result<mariadb_start_encryption_event> decode_mariadb_start_encryption_event(
    const event_header& h, bytes_view body, const format_description& fde);

}  // namespace binrelay::binlog
