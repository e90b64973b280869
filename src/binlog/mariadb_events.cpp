#include "binlog/mariadb_events.h"

namespace binrelay::binlog {

namespace {

error cut_short(std::string_view event, std::size_t body_size) {
  return make_error(errc::truncated, "{} event body of {} bytes ends inside a field", event,
                    body_size);
}

// The 6 bytes after flags2: commit_id (8 bytes, so 2 more), an XA xid, or zeros.
void read_gtid_variant(byte_reader& r, mariadb_gtid_event& e) {
  if (e.flags2 & mariadb_fl_group_commit_id) {
    e.commit_id = r.u64();
  } else if (e.flags2 & (mariadb_fl_prepared_xa | mariadb_fl_completed_xa)) {
    mariadb_xid x;
    x.format_id = r.u32();
    x.gtrid_length = r.u8();
    x.bqual_length = r.u8();
    x.data = r.bytes(std::size_t(x.gtrid_length) + x.bqual_length);
    e.xid = x;
  } else {
    r.skip(6);
  }
}

}  // namespace

result<mariadb_gtid_event> decode_mariadb_gtid_event(const event_header& h, bytes_view body,
                                                     const format_description&) {
  byte_reader r(body);
  mariadb_gtid_event e;
  e.server_id = h.server_id;
  e.seq_no = r.u64();
  e.domain_id = r.u32();
  e.flags2 = r.u8();
  read_gtid_variant(r, e);
  if (!r.ok()) return cut_short("Gtid (MariaDB)", body.size());
  if (!r.empty()) {
    e.flags_extra = r.u8();
    if (*e.flags_extra & mariadb_fl_extra_multi_engine) e.extra_engines = r.u8();
    if (*e.flags_extra & (mariadb_fl_commit_alter | mariadb_fl_rollback_alter)) {
      e.sa_seq_no = r.u64();
    }
    if (!r.ok()) return cut_short("Gtid (MariaDB)", body.size());
  }
  e.trailing = r.rest();
  return e;
}

result<mariadb_gtid_list_event> decode_mariadb_gtid_list_event(const event_header&, bytes_view body,
                                                               const format_description&) {
  byte_reader r(body);
  std::uint32_t word = r.u32();
  mariadb_gtid_list_event e;
  e.flags = std::uint8_t(word >> 28);
  std::uint32_t count = word & 0x0FFFFFFF;
  if (!r.ok() || r.remaining() / 16 < count) {
    return make_error(errc::truncated, "Gtid_list event claims {} GTIDs in {} body bytes", count,
                      body.size());
  }
  e.gtids.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    gtid::mariadb_gtid g;
    g.domain_id = r.u32();
    g.server_id = r.u32();
    g.seq_no = r.u64();
    e.gtids.push_back(g);
  }
  e.trailing = r.rest();
  return e;
}

result<mariadb_binlog_checkpoint_event> decode_mariadb_binlog_checkpoint_event(
    const event_header&, bytes_view body, const format_description&) {
  byte_reader r(body);
  mariadb_binlog_checkpoint_event e;
  e.log_name = r.str(r.u32());
  if (!r.ok()) return cut_short("Binlog_checkpoint", body.size());
  return e;
}

result<mariadb_annotate_rows_event> decode_mariadb_annotate_rows_event(const event_header&,
                                                                       bytes_view body,
                                                                       const format_description&) {
  return mariadb_annotate_rows_event{as_string_view(body)};
}

result<mariadb_start_encryption_event> decode_mariadb_start_encryption_event(
    const event_header&, bytes_view body, const format_description&) {
  byte_reader r(body);
  mariadb_start_encryption_event e;
  e.scheme = r.u8();
  e.key_version = r.u32();
  e.nonce = r.bytes(12);
  if (!r.ok()) return cut_short("Start_encryption", body.size());
  return e;
}

}  // namespace binrelay::binlog
