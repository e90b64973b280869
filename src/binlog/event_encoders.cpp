#include "binlog/event_encoders.h"

#include <cassert>

#include "binlog/checksum.h"
#include "binlog/gtid_tagged_event.h"

namespace binrelay::binlog {

namespace {

// Starts an event: the header with type set and event_size to be patched by finalize_event.
event_bytes start_event(event_header h, event_type type) {
  event_bytes out;
  out.reserve(64);
  h.type = type;
  h.event_size = 0;
  byte_writer w(out);
  encode_event_header(h, w);
  return out;
}

void write_u56(byte_writer& w, std::uint64_t v) {
  w.uint_n(v, 7);
}

void write_gtid_tail(byte_writer& w, const gtid_event& e) {
  if (!e.lt_type) return;
  w.u8(*e.lt_type);
  if (*e.lt_type != logical_timestamp_typecode) return;
  w.u64(std::uint64_t(e.last_committed));
  w.u64(std::uint64_t(e.sequence_number));
  if (e.immediate_commit_timestamp) {
    bool orig = e.original_commit_timestamp.has_value();
    write_u56(w, *e.immediate_commit_timestamp | (orig ? commit_ts_has_original_bit : 0));
    if (orig) write_u56(w, *e.original_commit_timestamp);
  }
  if (e.transaction_length) w.lenenc(*e.transaction_length);
  if (e.immediate_server_version) {
    bool orig = e.original_server_version.has_value();
    w.u32(*e.immediate_server_version | (orig ? server_version_has_original_bit : 0));
    if (orig) w.u32(*e.original_server_version);
  }
  if (e.commit_group_ticket) w.u64(*e.commit_group_ticket);
}

void write_str_u8(byte_writer& w, std::string_view s) {
  w.u8(std::uint8_t(s.size()));
  w.str(s);
}

}  // namespace

event_bytes encode_format_description_event(event_header h, const format_description& f) {
  assert(f.server_version.size() < 50);
  event_bytes out = start_event(h, event_type::format_description);
  byte_writer w(out);
  w.u16(f.binlog_version);
  w.str(f.server_version);
  w.zeros(50 - f.server_version.size());
  w.u32(f.create_timestamp);
  w.u8(f.header_length);
  w.bytes(f.post_header_len);
  if (!fde_has_checksum_alg(f.server_version)) {
    finalize_event(out, checksum_alg::off);
    return out;
  }
  w.u8(static_cast<std::uint8_t>(f.checksum));
  finalize_event(out, checksum_alg::crc32);
  return out;
}

event_bytes encode_rotate_event(event_header h, const rotate_event& e, checksum_alg alg) {
  event_bytes out = start_event(h, event_type::rotate);
  byte_writer w(out);
  w.u64(e.position);
  w.str(e.new_log_name);
  finalize_event(out, alg);
  return out;
}

event_bytes encode_previous_gtids_event(event_header h, const gtid::gtid_set& gtids,
                                        checksum_alg alg) {
  event_bytes out = start_event(h, event_type::previous_gtids);
  gtids.encode_binary(out);
  finalize_event(out, alg);
  return out;
}

event_bytes encode_gtid_event(event_header h, const gtid_event& e, checksum_alg alg) {
  if (!e.tag.empty()) {
    event_bytes out = start_event(h, event_type::gtid_tagged);
    byte_writer w(out);
    encode_gtid_tagged_body(e, w);
    finalize_event(out, alg);
    return out;
  }
  event_bytes out = start_event(h, e.anonymous ? event_type::anonymous_gtid : event_type::gtid);
  byte_writer w(out);
  w.u8(e.flags);
  w.bytes(e.sid.bytes);
  w.u64(e.gno);
  write_gtid_tail(w, e);
  w.bytes(e.trailing);
  finalize_event(out, alg);
  return out;
}

event_bytes encode_mariadb_gtid_event(event_header h, const mariadb_gtid_event& e,
                                      checksum_alg alg) {
  event_bytes out = start_event(h, event_type::mariadb_gtid);
  byte_writer w(out);
  w.u64(e.seq_no);
  w.u32(e.domain_id);
  w.u8(e.flags2);
  if (e.commit_id) {
    w.u64(*e.commit_id);
  } else if (e.xid) {
    w.u32(e.xid->format_id);
    w.u8(e.xid->gtrid_length);
    w.u8(e.xid->bqual_length);
    w.bytes(e.xid->data);
  } else {
    w.zeros(6);
  }
  if (e.flags_extra) w.u8(*e.flags_extra);
  if (e.extra_engines) w.u8(*e.extra_engines);
  if (e.sa_seq_no) w.u64(*e.sa_seq_no);
  w.bytes(e.trailing);
  finalize_event(out, alg);
  return out;
}

event_bytes encode_mariadb_gtid_list_event(event_header h, const mariadb_gtid_list_event& e,
                                           checksum_alg alg) {
  event_bytes out = start_event(h, event_type::mariadb_gtid_list);
  byte_writer w(out);
  w.u32(std::uint32_t(e.gtids.size()) | (std::uint32_t(e.flags) << 28));
  for (const auto& g : e.gtids) {
    w.u32(g.domain_id);
    w.u32(g.server_id);
    w.u64(g.seq_no);
  }
  if (e.gtids.empty() && e.trailing.empty()) {
    w.zeros(2);  // MariaDB's padding of an empty list
  } else {
    w.bytes(e.trailing);
  }
  finalize_event(out, alg);
  return out;
}

event_bytes encode_heartbeat_event(event_header h, const heartbeat_event& e, checksum_alg alg) {
  if (!e.v2) {
    h.log_pos = std::uint32_t(e.log_position);
    event_bytes out = start_event(h, event_type::heartbeat);
    byte_writer(out).str(e.log_filename);
    finalize_event(out, alg);
    return out;
  }
  event_bytes out = start_event(h, event_type::heartbeat_v2);
  byte_writer w(out);
  w.lenenc(static_cast<std::uint64_t>(heartbeat_field::log_filename));
  w.str_lenenc(e.log_filename);
  event_bytes pos;
  byte_writer(pos).lenenc(e.log_position);
  w.lenenc(static_cast<std::uint64_t>(heartbeat_field::log_position));
  w.lenenc(pos.size());
  w.bytes(pos);
  w.lenenc(static_cast<std::uint64_t>(heartbeat_field::end));
  finalize_event(out, alg);
  return out;
}

event_bytes encode_query_event(event_header h, const query_event& e, checksum_alg alg) {
  assert(!e.compressed && e.db.size() < 256 && e.status_vars_raw.size() < 65536);
  event_bytes out = start_event(h, event_type::query);
  byte_writer w(out);
  w.u32(e.thread_id);
  w.u32(e.exec_time);
  w.u8(std::uint8_t(e.db.size()));
  w.u16(e.error_code);
  w.u16(std::uint16_t(e.status_vars_raw.size()));
  w.bytes(e.status_vars_raw);
  w.str_nul(e.db);
  w.bytes(e.query_raw);
  finalize_event(out, alg);
  return out;
}

void encode_query_status_vars(const query_status_vars& v, std::vector<std::uint8_t>& out) {
  using c = query_status_code;
  byte_writer w(out);
  auto code = [&](c k) { w.u8(static_cast<std::uint8_t>(k)); };
  if (v.flags2) {
    code(c::flags2);
    w.u32(*v.flags2);
  }
  if (v.sql_mode) {
    code(c::sql_mode);
    w.u64(*v.sql_mode);
  }
  if (v.catalog && v.catalog_nul_terminated) {
    code(c::catalog);
    write_str_u8(w, *v.catalog);
    w.u8(0);
  } else if (v.catalog) {
    code(c::catalog_nz);
    write_str_u8(w, *v.catalog);
  }
  if (v.auto_increment_increment) {
    code(c::auto_increment);
    w.u16(*v.auto_increment_increment);
    w.u16(*v.auto_increment_offset);
  }
  if (v.charset_client) {
    code(c::charset);
    w.u16(*v.charset_client);
    w.u16(*v.collation_connection);
    w.u16(*v.collation_server);
  }
  if (v.time_zone) {
    code(c::time_zone);
    write_str_u8(w, *v.time_zone);
  }
  if (v.lc_time_names) {
    code(c::lc_time_names);
    w.u16(*v.lc_time_names);
  }
  if (v.charset_database) {
    code(c::charset_database);
    w.u16(*v.charset_database);
  }
  if (v.table_map_for_update) {
    code(c::table_map_for_update);
    w.u64(*v.table_map_for_update);
  }
  if (v.master_data_written) {
    code(c::master_data_written);
    w.u32(*v.master_data_written);
  }
  if (v.invoker_user) {
    code(c::invoker);
    write_str_u8(w, *v.invoker_user);
    write_str_u8(w, *v.invoker_host);
  }
  if (v.updated_db_names) {
    code(c::updated_db_names);
    if (v.updated_dbs_over_max) {
      w.u8(over_max_dbs_in_event);
    } else {
      w.u8(std::uint8_t(v.updated_db_names->size()));
      for (auto db : *v.updated_db_names) w.str_nul(db);
    }
  }
  if (v.microseconds) {
    code(c::microseconds);
    w.u24(*v.microseconds);
  }
  if (v.explicit_defaults_for_timestamp) {
    code(c::explicit_defaults_for_timestamp);
    w.u8(*v.explicit_defaults_for_timestamp);
  }
  if (v.ddl_xid) {
    code(c::ddl_logged_with_xid);
    w.u64(*v.ddl_xid);
  }
  if (v.default_collation_for_utf8mb4) {
    code(c::default_collation_for_utf8mb4);
    w.u16(*v.default_collation_for_utf8mb4);
  }
  if (v.sql_require_primary_key) {
    code(c::sql_require_primary_key);
    w.u8(*v.sql_require_primary_key);
  }
  if (v.default_table_encryption) {
    code(c::default_table_encryption);
    w.u8(*v.default_table_encryption);
  }
  if (v.mariadb_hrnow) {
    code(c::mariadb_hrnow);
    w.u24(*v.mariadb_hrnow);
  }
  if (v.mariadb_xid) {
    code(c::mariadb_xid);
    w.u64(*v.mariadb_xid);
  }
  if (v.mariadb_gtid_flags3) {
    code(c::mariadb_gtid_flags3);
    w.u8(*v.mariadb_gtid_flags3);
    if (v.mariadb_sa_seq_no) w.u64(*v.mariadb_sa_seq_no);
  }
}

}  // namespace binrelay::binlog
