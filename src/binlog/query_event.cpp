#include "binlog/query_event.h"

#include "binlog/mariadb_compression.h"

namespace binrelay::binlog {

namespace {

constexpr std::size_t query_post_header_size = 13;

// Reads one status variable of a known code into `v`; false if the code is unknown.
bool read_status_var(std::uint8_t code, byte_reader& r, query_status_vars& v) {
  using c = query_status_code;
  switch (static_cast<c>(code)) {
    case c::flags2:
      v.flags2 = r.u32();
      return true;
    case c::sql_mode:
      v.sql_mode = r.u64();
      return true;
    case c::catalog:
      v.catalog = r.str_u8();
      v.catalog_nul_terminated = true;
      r.skip(1);
      return true;
    case c::auto_increment:
      v.auto_increment_increment = r.u16();
      v.auto_increment_offset = r.u16();
      return true;
    case c::charset:
      v.charset_client = r.u16();
      v.collation_connection = r.u16();
      v.collation_server = r.u16();
      return true;
    case c::time_zone:
      v.time_zone = r.str_u8();
      return true;
    case c::catalog_nz:
      v.catalog = r.str_u8();
      return true;
    case c::lc_time_names:
      v.lc_time_names = r.u16();
      return true;
    case c::charset_database:
      v.charset_database = r.u16();
      return true;
    case c::table_map_for_update:
      v.table_map_for_update = r.u64();
      return true;
    case c::master_data_written:
      v.master_data_written = r.u32();
      return true;
    case c::invoker:
      v.invoker_user = r.str_u8();
      v.invoker_host = r.str_u8();
      return true;
    case c::updated_db_names: {
      std::uint8_t n = r.u8();
      v.updated_db_names.emplace();
      if (n == over_max_dbs_in_event) {
        v.updated_dbs_over_max = true;
        return true;
      }
      for (std::uint8_t i = 0; i < n && r.ok(); ++i) v.updated_db_names->push_back(r.str_nul());
      return true;
    }
    case c::microseconds:
      v.microseconds = r.u24();
      return true;
    case c::explicit_defaults_for_timestamp:
      v.explicit_defaults_for_timestamp = r.u8();
      return true;
    case c::ddl_logged_with_xid:
      v.ddl_xid = r.u64();
      return true;
    case c::default_collation_for_utf8mb4:
      v.default_collation_for_utf8mb4 = r.u16();
      return true;
    case c::sql_require_primary_key:
      v.sql_require_primary_key = r.u8();
      return true;
    case c::default_table_encryption:
      v.default_table_encryption = r.u8();
      return true;
    case c::mariadb_hrnow:
      v.mariadb_hrnow = r.u24();
      return true;
    case c::mariadb_xid:
      v.mariadb_xid = r.u64();
      return true;
    case c::mariadb_gtid_flags3:
      v.mariadb_gtid_flags3 = r.u8();
      if (*v.mariadb_gtid_flags3 & (0x04 | 0x08)) v.mariadb_sa_seq_no = r.u64();
      return true;
  }
  return false;
}

}  // namespace

result<query_status_vars> parse_query_status_vars(bytes_view block) {
  query_status_vars v;
  byte_reader r(block);
  while (!r.empty()) {
    std::uint8_t code = r.u8();
    if (!read_status_var(code, r, v)) {
      v.unknown_status_code = code;
      break;
    }
    if (!r.ok()) {
      return make_error(errc::truncated,
                        "Query event status variable {} ends past the {}-byte "
                        "status block",
                        code, block.size());
    }
  }
  return v;
}

result<query_event> decode_query_event(const event_header& h, bytes_view body,
                                       const format_description& fde) {
  query_event e;
  e.compressed = h.type == event_type::mariadb_query_compressed;
  std::string_view name = e.compressed ? "Query_compressed" : "Query";
  std::size_t post_header = fde.post_header_length(h.type);
  if (post_header == 0) post_header = query_post_header_size;
  if (post_header < query_post_header_size) {
    return make_error(errc::unsupported, "{} event post-header of {} bytes (pre-5.0 format)", name,
                      post_header);
  }
  byte_reader r(body);
  e.thread_id = r.u32();
  e.exec_time = r.u32();
  std::uint8_t db_len = r.u8();
  e.error_code = r.u16();
  std::uint16_t status_len = r.u16();
  r.skip(post_header - query_post_header_size);
  e.status_vars_raw = r.bytes(status_len);
  if (!r.ok()) {
    return make_error(errc::truncated,
                      "{} event of {} body bytes ends inside its post-header or "
                      "{}-byte status block",
                      name, body.size(), status_len);
  }
  e.db = r.str(db_len);
  std::uint8_t nul = r.u8();
  if (!r.ok()) return make_error(errc::truncated, "{} event ends inside its db name", name);
  if (nul != 0) return make_error(errc::corrupt, "{} event db name is not NUL-terminated", name);
  e.query_raw = r.rest();
  auto vars = parse_query_status_vars(e.status_vars_raw);
  if (!vars) return vars.error();
  e.status = std::move(*vars);
  if (e.compressed) {
    auto text = mariadb_uncompress(e.query_raw);
    if (!text) return make_error(text.error().code, "{} event: {}", name, text.error().message);
    e.decompressed_query = std::move(*text);
  }
  return e;
}

}  // namespace binrelay::binlog
