#include "binlog/gtid_tagged_event.h"

#include <limits>
#include <vector>

#include "binlog/mysql_serialization.h"

namespace binrelay::binlog {
namespace {

using serialization::read_signed_varint;
using serialization::read_varint;

constexpr std::uint64_t format_version = 1;
constexpr std::uint64_t last_known_field = 11;
constexpr std::size_t tag_max_length = 32;
constexpr std::int64_t max_gno = std::numeric_limits<std::int64_t>::max() - 1;

enum field : std::uint64_t {
  f_flags = 0,
  f_sid = 1,
  f_gno = 2,
  f_tag = 3,
  f_last_committed = 4,
  f_sequence_number = 5,
  f_immediate_commit_ts = 6,
  f_original_commit_ts = 7,
  f_transaction_length = 8,
  f_immediate_server_version = 9,
  f_original_server_version = 10,
  f_commit_group_ticket = 11,
};

error bad_value(std::uint64_t id, std::string_view what) {
  return make_error(errc::corrupt, "Gtid_tagged: field {} {}", id, what);
}

std::uint64_t read_bounded(byte_reader& in, std::uint64_t max, bool& out_of_range) {
  const std::uint64_t v = read_varint(in);
  if (v > max) out_of_range = true;
  return v;
}

// Decodes field `id` into `e`. Range errors are reported; truncation shows in `in`.
result<void> decode_field(std::uint64_t id, byte_reader& in, gtid_event& e) {
  bool out_of_range = false;
  switch (id) {
    case f_flags:
      e.flags = std::uint8_t(read_bounded(in, 0xFF, out_of_range));
      break;
    case f_sid:
      for (auto& b : e.sid.bytes) b = std::uint8_t(read_bounded(in, 0xFF, out_of_range));
      break;
    case f_gno: {
      const std::int64_t gno = read_signed_varint(in);
      if (in.ok() && (gno < 1 || gno > max_gno))
        return bad_value(id, fmt::format("GNO {} is outside 1..{}", gno, max_gno));
      e.gno = std::uint64_t(gno);
      break;
    }
    case f_tag: {
      const std::uint64_t len = read_varint(in);
      if (in.ok() && len > tag_max_length)
        return bad_value(id, fmt::format("tag of {} bytes exceeds 32", len));
      e.tag = std::string(in.str(std::size_t(len)));
      break;
    }
    case f_last_committed:
      e.last_committed = read_signed_varint(in);
      e.lt_type = logical_timestamp_typecode;
      break;
    case f_sequence_number:
      e.sequence_number = read_signed_varint(in);
      e.lt_type = logical_timestamp_typecode;
      break;
    case f_immediate_commit_ts:
      e.immediate_commit_timestamp = read_varint(in);
      break;
    case f_original_commit_ts:
      e.original_commit_timestamp = read_varint(in);
      break;
    case f_transaction_length:
      e.transaction_length = read_varint(in);
      break;
    case f_immediate_server_version:
      e.immediate_server_version = std::uint32_t(read_bounded(in, 0xFFFFFFFF, out_of_range));
      break;
    case f_original_server_version:
      e.original_server_version = std::uint32_t(read_bounded(in, 0xFFFFFFFF, out_of_range));
      break;
    case f_commit_group_ticket:
      e.commit_group_ticket = read_varint(in);
      break;
  }
  if (out_of_range) return bad_value(id, "holds a value too large for its type");
  if (!in.ok()) return make_error(errc::truncated, "Gtid_tagged: field {} is cut short", id);
  return {};
}

}  // namespace

result<gtid_event> decode_gtid_tagged_event(const event_header&, bytes_view body,
                                            const format_description&) {
  byte_reader in(body);
  const std::uint64_t version = read_varint(in);
  const std::uint64_t size = read_varint(in);
  const std::uint64_t last_non_ignorable = read_varint(in);
  if (!in.ok())
    return make_error(errc::truncated, "Gtid_tagged: message header is cut short ({} bytes)",
                      body.size());
  if (version != format_version) {
    return make_error(errc::unsupported,
                      "Gtid_tagged: serialization format version {} (expected {})", version,
                      format_version);
  }
  if (size != body.size()) {
    return make_error(size > body.size() ? errc::truncated : errc::corrupt,
                      "Gtid_tagged: message size {} but the event body has {} bytes", size,
                      body.size());
  }
  if (last_non_ignorable > last_known_field + 1) {
    return make_error(errc::unsupported, "Gtid_tagged: carries unknown non-ignorable field {}",
                      last_non_ignorable - 1);
  }
  gtid_event e;
  std::uint64_t next_id = 0;
  while (!in.empty()) {
    const bytes_view field_start = in.rest();
    const std::uint64_t id = read_varint(in);
    if (!in.ok()) return make_error(errc::truncated, "Gtid_tagged: field id is cut short");
    if (id < next_id)
      return make_error(errc::corrupt, "Gtid_tagged: field {} follows field {}", id, next_id - 1);
    if (id > last_known_field) {
      e.trailing = field_start;  // fields of a later server: kept, not interpreted
      break;
    }
    if (auto r = decode_field(id, in, e); !r) return r.error();
    next_id = id + 1;
  }
  return e;
}

void encode_gtid_tagged_body(const gtid_event& e, byte_writer& out) {
  using namespace serialization;
  std::vector<std::uint8_t> fields;
  byte_writer f(fields);
  auto put = [&](std::uint64_t id, std::uint64_t v) {
    write_varint(f, id);
    write_varint(f, v);
  };
  auto put_signed = [&](std::uint64_t id, std::int64_t v) {
    write_varint(f, id);
    write_signed_varint(f, v);
  };
  put(f_flags, e.flags);
  write_varint(f, f_sid);
  for (auto b : e.sid.bytes) write_varint(f, b);
  put_signed(f_gno, std::int64_t(e.gno));
  put(f_tag, e.tag.size());
  f.str(e.tag);
  put_signed(f_last_committed, e.last_committed);
  put_signed(f_sequence_number, e.sequence_number);
  put(f_immediate_commit_ts, e.immediate_commit_timestamp.value_or(0));
  if (e.original_commit_timestamp) put(f_original_commit_ts, *e.original_commit_timestamp);
  put(f_transaction_length, e.transaction_length.value_or(0));
  put(f_immediate_server_version, e.immediate_server_version.value_or(0));
  if (e.original_server_version) put(f_original_server_version, *e.original_server_version);
  if (e.commit_group_ticket) put(f_commit_group_ticket, *e.commit_group_ticket);
  f.bytes(e.trailing);

  // The size counts the whole message, its own varint included.
  const std::size_t fixed = varint_size(format_version) + varint_size(0) + fields.size();
  std::size_t size_len = 1;
  while (varint_size(fixed + size_len) != size_len) ++size_len;
  write_varint(out, format_version);
  write_varint(out, fixed + size_len);
  write_varint(out, 0);  // last non-ignorable field id: every Gtid field is ignorable
  out.bytes(fields);
}

}  // namespace binrelay::binlog
