#include "binlog/transaction_gtid.h"

#include "binlog/gtid_event.h"
#include "binlog/gtid_tagged_event.h"
#include "binlog/mariadb_events.h"

#include <cstring>

namespace binrelay::binlog {

result<std::optional<transaction_gtid>> gtid_of_event(const event_header& h, bytes_view body,
                                                      const format_description& fde) {
  transaction_gtid g;
  switch (h.type) {
    case event_type::gtid: {
      auto e = decode_gtid_event(h, body, fde);
      if (!e) return e.error();
      g.sid = e->sid;
      g.gno = e->gno;
      return std::optional<transaction_gtid>(std::move(g));
    }
    case event_type::gtid_tagged: {
      auto e = decode_gtid_tagged_event(h, body, fde);
      if (!e) return e.error();
      g.sid = e->sid;
      g.tag = e->tag;
      g.gno = e->gno;
      return std::optional<transaction_gtid>(std::move(g));
    }
    case event_type::mariadb_gtid: {
      auto e = decode_mariadb_gtid_event(h, body, fde);
      if (!e) return e.error();
      g.mariadb = true;
      g.mariadb_gtid = e->gtid();
      return std::optional<transaction_gtid>(std::move(g));
    }
    default:
      return std::optional<transaction_gtid>{};
  }
}

void add_gtid(gtid::gtid_state& state, const transaction_gtid& g) {
  if (g.mariadb) {
    state.position.update(g.mariadb_gtid);
  } else if (g.gno >= 1 && g.gno <= gtid::max_gno) {
    state.mysql.add(g.sid, g.tag, g.gno);
  }
}

std::optional<logical_clock> read_logical_clock(event_type t, bytes_view body) {
  if (t != event_type::gtid && t != event_type::anonymous_gtid) return std::nullopt;
  if (body.size() < gtid_sequence_number_offset + 8) return std::nullopt;
  if (body[gtid_lt_type_offset] != logical_timestamp_typecode) return std::nullopt;
  return logical_clock{load_u64(body.data() + gtid_last_committed_offset),
                       load_u64(body.data() + gtid_sequence_number_offset)};
}

void write_logical_clock(std::uint8_t* body, logical_clock c) {
  std::memcpy(body + gtid_last_committed_offset, &c.last_committed, 8);
  std::memcpy(body + gtid_sequence_number_offset, &c.sequence_number, 8);
}

}  // namespace binrelay::binlog
