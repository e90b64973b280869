#pragma once
// Binlog event type codes written by MySQL 5.0-9.x and MariaDB 10.x, and their names as
// mysqlbinlog prints them. Layouts: docs/formats.md and ../shared/reference.

#include <cstdint>
#include <string_view>

namespace binrelay::binlog {

enum class event_type : std::uint8_t {
  unknown = 0,
  start_v3 = 1,
  query = 2,
  stop = 3,
  rotate = 4,
  intvar = 5,
  load = 6,
  slave = 7,
  create_file = 8,
  append_block = 9,
  exec_load = 10,
  delete_file = 11,
  new_load = 12,
  rand = 13,
  user_var = 14,
  format_description = 15,
  xid = 16,
  begin_load_query = 17,
  execute_load_query = 18,
  table_map = 19,
  pre_ga_write_rows = 20,
  pre_ga_update_rows = 21,
  pre_ga_delete_rows = 22,
  write_rows_v1 = 23,
  update_rows_v1 = 24,
  delete_rows_v1 = 25,
  incident = 26,
  heartbeat = 27,
  ignorable = 28,
  rows_query = 29,
  write_rows_v2 = 30,
  update_rows_v2 = 31,
  delete_rows_v2 = 32,
  gtid = 33,
  anonymous_gtid = 34,
  previous_gtids = 35,
  transaction_context = 36,
  view_change = 37,
  xa_prepare = 38,
  partial_update_rows = 39,
  transaction_payload = 40,
  heartbeat_v2 = 41,
  gtid_tagged = 42,
  // MariaDB
  mariadb_annotate_rows = 160,
  mariadb_binlog_checkpoint = 161,
  mariadb_gtid = 162,
  mariadb_gtid_list = 163,
  mariadb_start_encryption = 164,
  mariadb_query_compressed = 165,
  mariadb_write_rows_compressed_v1 = 166,
  mariadb_update_rows_compressed_v1 = 167,
  mariadb_delete_rows_compressed_v1 = 168,
  mariadb_write_rows_compressed = 169,
  mariadb_update_rows_compressed = 170,
  mariadb_delete_rows_compressed = 171,
  mariadb_partial_update_rows_compressed = 172,
};

// "Write_rows", "Gtid", "Query", ... as mysqlbinlog prints them; empty for a code with no
// name (callers print "Unknown(<n>)").
std::string_view event_type_name(event_type t);

inline bool is_rows_event(event_type t) {
  auto v = static_cast<std::uint8_t>(t);
  return (v >= 20 && v <= 25) || (v >= 30 && v <= 32) || v == 39 || (v >= 166 && v <= 172);
}

}  // namespace binrelay::binlog
