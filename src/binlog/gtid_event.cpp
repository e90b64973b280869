#include "binlog/gtid_event.h"

namespace binrelay::binlog {

namespace {

constexpr std::uint64_t seven_byte_mask = (1ull << 56) - 1;

result<gtid_event> truncated(const gtid_event& e, std::string_view field) {
  return make_error(errc::truncated, "{} event ends inside its {} field",
                    e.anonymous ? "Anonymous_Gtid" : "Gtid", field);
}

// Reads the tail after sequence_number; each field is taken when its bytes are there.
result<void> read_commit_fields(byte_reader& r, gtid_event& e) {
  if (r.remaining() >= 7) {
    std::uint64_t ts = r.u56();
    if (ts & commit_ts_has_original_bit) {
      e.immediate_commit_timestamp = ts & ~commit_ts_has_original_bit & seven_byte_mask;
      if (r.remaining() < 7) {
        return make_error(errc::truncated, "Gtid event ends inside original_commit_timestamp");
      }
      e.original_commit_timestamp = r.u56();
    } else {
      e.immediate_commit_timestamp = ts;
    }
  }
  if (r.empty()) return {};
  std::uint64_t len = r.lenenc();
  if (!r.ok()) return make_error(errc::truncated, "Gtid event ends inside transaction_length");
  e.transaction_length = len;
  if (r.remaining() >= 4) {
    std::uint32_t v = r.u32();
    if (v & server_version_has_original_bit) {
      e.immediate_server_version = v & ~server_version_has_original_bit;
      if (r.remaining() < 4) {
        return make_error(errc::truncated, "Gtid event ends inside original_server_version");
      }
      e.original_server_version = r.u32();
    } else {
      e.immediate_server_version = v;
    }
  }
  if (r.remaining() >= 8) e.commit_group_ticket = r.u64();
  return {};
}

}  // namespace

result<gtid_event> decode_gtid_event(const event_header& h, bytes_view body,
                                     const format_description&) {
  gtid_event e;
  e.anonymous = h.type == event_type::anonymous_gtid;
  byte_reader r(body);
  e.flags = r.u8();
  bytes_view sid = r.bytes(gtid::uuid::size);
  e.gno = r.u64();
  if (!r.ok()) return truncated(e, "flags/sid/gno");
  e.sid = gtid::uuid::from_bytes(sid);
  if (!r.empty()) {
    e.lt_type = r.u8();
    if (*e.lt_type == logical_timestamp_typecode) {
      e.last_committed = std::int64_t(r.u64());
      e.sequence_number = std::int64_t(r.u64());
      if (!r.ok()) return truncated(e, "last_committed/sequence_number");
      if (auto tail = read_commit_fields(r, e); !tail) return tail.error();
    }
  }
  e.trailing = r.rest();
  return e;
}

}  // namespace binrelay::binlog
