#pragma once
// QUERY_EVENT (2): a statement (DDL, BEGIN/COMMIT, statement-based DML) with the session
// context it ran in, and MariaDB's QUERY_COMPRESSED_EVENT (165), the same event with the
// statement text zlib-compressed. Layout: docs/formats.md, "Query".
//
// Status variables have no length prefix, so a reader that meets a code it does not know
// cannot step over it: like MySQL it stops parsing there (`unknown_status_code`). The raw
// block is always kept, and db and query are located by the status block's length, so an
// unknown code never hides the statement.
//
// Lifetime: views point into the caller's body buffer, except the decompressed text of a
// compressed event, which the event owns (`text()` returns the right one).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "binlog/event_header.h"
#include "binlog/format_description.h"
#include "common/bytes.h"
#include "common/result.h"

namespace binrelay::binlog {

enum class query_status_code : std::uint8_t {
  flags2 = 0,
  sql_mode = 1,
  catalog = 2,  // 5.0.0-5.0.3: u8 length, text, NUL
  auto_increment = 3,
  charset = 4,
  time_zone = 5,
  catalog_nz = 6,
  lc_time_names = 7,
  charset_database = 8,
  table_map_for_update = 9,
  master_data_written = 10,
  invoker = 11,
  updated_db_names = 12,
  microseconds = 13,
  explicit_defaults_for_timestamp = 16,
  ddl_logged_with_xid = 17,
  default_collation_for_utf8mb4 = 18,
  sql_require_primary_key = 19,
  default_table_encryption = 20,
  mariadb_hrnow = 128,
  mariadb_xid = 129,
  mariadb_gtid_flags3 = 130,
};

// UPDATED_DB_NAMES count meaning "more databases than listed" (no names follow).
inline constexpr std::uint8_t over_max_dbs_in_event = 254;

struct query_status_vars {
  std::optional<std::uint32_t> flags2;
  std::optional<std::uint64_t> sql_mode;
  std::optional<std::string_view> catalog;  // from code 6, or code 2 (catalog_nul_terminated)
  bool catalog_nul_terminated = false;
  std::optional<std::uint16_t> auto_increment_increment;
  std::optional<std::uint16_t> auto_increment_offset;
  // character_set_client, collation_connection, collation_server.
  std::optional<std::uint16_t> charset_client;
  std::optional<std::uint16_t> collation_connection;
  std::optional<std::uint16_t> collation_server;
  std::optional<std::string_view> time_zone;
  std::optional<std::uint16_t> lc_time_names;
  std::optional<std::uint16_t> charset_database;
  std::optional<std::uint64_t> table_map_for_update;
  std::optional<std::uint32_t> master_data_written;
  std::optional<std::string_view> invoker_user;
  std::optional<std::string_view> invoker_host;
  // Present iff code 12 was there; empty with updated_dbs_over_max when count was 254.
  std::optional<std::vector<std::string_view>> updated_db_names;
  bool updated_dbs_over_max = false;
  std::optional<std::uint32_t> microseconds;
  std::optional<std::uint8_t> explicit_defaults_for_timestamp;
  std::optional<std::uint64_t> ddl_xid;
  std::optional<std::uint16_t> default_collation_for_utf8mb4;
  std::optional<std::uint8_t> sql_require_primary_key;
  std::optional<std::uint8_t> default_table_encryption;
  std::optional<std::uint32_t> mariadb_hrnow;  // microseconds part of the start time
  std::optional<std::uint64_t> mariadb_xid;
  std::optional<std::uint8_t> mariadb_gtid_flags3;
  std::optional<std::uint64_t> mariadb_sa_seq_no;  // with flags3 COMMIT/ROLLBACK_ALTER
  // The first code this decoder did not know; parsing stopped there.
  std::optional<std::uint8_t> unknown_status_code;
};

struct query_event {
  bool compressed = false;  // MariaDB QUERY_COMPRESSED (165)
  std::uint32_t thread_id = 0;
  std::uint32_t exec_time = 0;  // seconds
  std::uint16_t error_code = 0;
  bytes_view status_vars_raw;
  query_status_vars status;
  std::string_view db;
  // As stored: the statement text, or for a compressed event the compressed block.
  bytes_view query_raw;
  // Compressed events only (mariadb_compression.h layout).
  std::vector<std::uint8_t> decompressed_query;

  std::string_view text() const {
    return as_string_view(compressed ? bytes_view(decompressed_query) : query_raw);
  }
};

// Decodes QUERY or MARIADB_QUERY_COMPRESSED. Errors: truncated (post-header, status block, db
// or a status variable cut short), corrupt (db not NUL-terminated, bad compressed block),
// too_large (compressed text claiming more than max_mariadb_uncompressed_bytes).
result<query_event> decode_query_event(const event_header& h, bytes_view body,
                                       const format_description& fde);

// Parses a status-variable block (stops at the first unknown code). Errors: truncated.
result<query_status_vars> parse_query_status_vars(bytes_view block);

}  // namespace binrelay::binlog
