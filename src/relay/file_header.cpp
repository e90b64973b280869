#include "relay/file_header.h"

#include <algorithm>

#include "binlog/checksum.h"
#include "binlog/event_encoders.h"
#include "binlog/file_reader.h"
#include "binlog/mariadb_events.h"
#include "binlog/previous_gtids_event.h"

namespace binrelay::relay {

using binlog::event_type;

namespace {

// Puts an encoded event at `offset` of its file: log_pos = offset + size, and the CRC (when
// the event has one) recomputed over the changed header.
void place_event(binlog::event_bytes& ev, std::uint64_t offset, bool has_crc) {
  store_u32(ev.data() + binlog::log_pos_offset, std::uint32_t(offset + ev.size()));
  if (has_crc) {
    std::size_t n = ev.size() - binlog::checksum_size;
    store_u32(ev.data() + n, binlog::compute_event_crc32(bytes_view(ev.data(), n)));
  }
}

binlog::event_header header_of(const header_params& p) {
  binlog::event_header h;
  h.timestamp = p.timestamp;
  h.server_id = p.server_id;
  return h;
}

}  // namespace

std::vector<std::uint8_t> encode_file_header(const binlog::format_description& upstream,
                                             const gtid_state& before, const header_params& p) {
  std::vector<std::uint8_t> out(std::begin(binlog::binlog_magic), std::end(binlog::binlog_magic));
  binlog::format_description ours = upstream;
  ours.create_timestamp = 0;  // 0: not the first file written after a server start
  auto fde = binlog::encode_format_description_event(header_of(p), ours);
  place_event(fde, out.size(), binlog::fde_has_checksum_alg(ours.server_version));
  out.insert(out.end(), fde.begin(), fde.end());

  binlog::event_bytes gtids;
  if (before.mariadb) {
    binlog::mariadb_gtid_list_event list;
    list.gtids = before.position.gtids();
    gtids = binlog::encode_mariadb_gtid_list_event(header_of(p), list, ours.checksum);
  } else {
    gtids = binlog::encode_previous_gtids_event(header_of(p), before.mysql, ours.checksum);
  }
  place_event(gtids, out.size(), ours.checksum == binlog::checksum_alg::crc32);
  out.insert(out.end(), gtids.begin(), gtids.end());
  return out;
}

std::vector<std::uint8_t> encode_rotate(std::string_view next_file, std::uint64_t offset,
                                        binlog::checksum_alg alg, const header_params& p) {
  binlog::rotate_event r;
  r.position = 4;
  r.new_log_name = next_file;
  auto ev = binlog::encode_rotate_event(header_of(p), r, alg);
  place_event(ev, offset, alg == binlog::checksum_alg::crc32);
  return ev;
}

result<file_header> read_file_header(const std::filesystem::path& path) {
  auto reader = binlog::file_reader::open(path);
  if (!reader) return reader.error();
  file_header fh;
  auto fde_event = reader->next();
  if (!fde_event) return fde_event.error();
  if (!*fde_event || (*fde_event)->header.type != event_type::format_description) {
    return make_error(errc::corrupt, "{}: does not start with a Format_desc event",
                      path.filename().string());
  }
  fh.fde = reader->format();
  fh.created = (*fde_event)->header.timestamp;
  auto second = reader->next();
  if (!second) return second.error();
  if (!*second) {
    return make_error(errc::truncated, "{}: ends after its Format_desc event",
                      path.filename().string());
  }
  const auto& ev = **second;
  bytes_view body = ev.body(fh.fde);
  fh.before.mariadb = fh.fde.is_mariadb();
  if (ev.header.type == event_type::previous_gtids) {
    auto d = binlog::decode_previous_gtids_event(ev.header, body, fh.fde);
    if (!d) return d.error();
    fh.before.mysql = std::move(d->gtids);
  } else if (ev.header.type == event_type::mariadb_gtid_list) {
    auto d = binlog::decode_mariadb_gtid_list_event(ev.header, body, fh.fde);
    if (!d) return d.error();
    for (const auto& g : d->gtids) {
      const auto* have = fh.before.position.get(g.domain_id);
      if (!have || have->seq_no < g.seq_no) fh.before.position.update(g);
    }
  } else {
    return make_error(errc::corrupt, "{}: second event is {}, not Previous_gtids/Gtid_list",
                      path.filename().string(), binlog::event_type_name(ev.header.type));
  }
  fh.end_offset = reader->position();
  return fh;
}

bool same_format(const binlog::format_description& a, const binlog::format_description& b) {
  return a.binlog_version == b.binlog_version && a.server_version == b.server_version &&
         a.post_header_len == b.post_header_len && a.checksum == b.checksum;
}

}  // namespace binrelay::relay
