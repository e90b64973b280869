#include "binlog/event_encoders.h"

namespace binrelay::binlog {

namespace {

// Status variables of the BEGIN/COMMIT statements: autocommit-off flags, default sql_mode,
// catalog "std", and the server's default collations.
std::vector<std::uint8_t> transaction_status_vars(bool mariadb) {
  query_status_vars v;
  v.flags2 = 0;
  v.sql_mode = 0;
  v.catalog = "std";
  if (mariadb) {
    v.charset_client = 33;  // utf8mb3_general_ci
    v.collation_connection = 33;
    v.collation_server = 8;  // latin1_swedish_ci
  } else {
    v.charset_client = 255;  // utf8mb4_0900_ai_ci
    v.collation_connection = 255;
    v.collation_server = 255;
    v.default_collation_for_utf8mb4 = 255;
  }
  std::vector<std::uint8_t> out;
  encode_query_status_vars(v, out);
  return out;
}

// Appends a QUERY event with `text` and advances *pos to its end.
void append_query(event_bytes& out, const empty_transaction& t, std::string_view text,
                  const std::vector<std::uint8_t>& status, std::uint64_t& pos, checksum_alg alg) {
  query_event q;
  q.thread_id = t.thread_id;
  q.status_vars_raw = status;
  q.query_raw = as_bytes(text);
  event_header h{t.timestamp, event_type::query, t.server_id, 0, 0, flag_suppress_use};
  std::size_t size = event_header_size + 13 + status.size() + 1 + text.size() +
                     (alg == checksum_alg::crc32 ? checksum_size : 0);
  pos += size;
  h.log_pos = std::uint32_t(pos);
  event_bytes e = encode_query_event(h, q, alg);
  out.insert(out.end(), e.begin(), e.end());
}

}  // namespace

event_bytes encode_mysql_empty_transaction(const empty_transaction& t, const gtid_event& gtid,
                                           checksum_alg alg) {
  std::uint64_t pos = t.start_position;
  event_header h{t.timestamp, event_type::gtid, t.server_id, 0, 0, 0};
  event_bytes gtid_probe = encode_gtid_event(h, gtid, alg);
  pos += gtid_probe.size();
  h.log_pos = std::uint32_t(pos);
  event_bytes out = encode_gtid_event(h, gtid, alg);
  auto status = transaction_status_vars(false);
  append_query(out, t, "BEGIN", status, pos, alg);
  append_query(out, t, "COMMIT", status, pos, alg);
  return out;
}

event_bytes encode_mariadb_empty_transaction(const empty_transaction& t,
                                             const mariadb_gtid_event& gtid, checksum_alg alg) {
  std::uint64_t pos = t.start_position;
  mariadb_gtid_event g = gtid;
  g.flags2 &= std::uint8_t(~mariadb_fl_standalone);
  event_header h{t.timestamp, event_type::mariadb_gtid, t.server_id, 0, 0, flag_suppress_use};
  pos += encode_mariadb_gtid_event(h, g, alg).size();
  h.log_pos = std::uint32_t(pos);
  event_bytes out = encode_mariadb_gtid_event(h, g, alg);
  append_query(out, t, "COMMIT", transaction_status_vars(true), pos, alg);
  return out;
}

}  // namespace binrelay::binlog
