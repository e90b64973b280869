#pragma once
// The GTID a transaction's first event names, as the relay store records it: a MySQL
// (uuid, tag, gno), a MariaDB domain-server-seq, or none (ANONYMOUS_GTID, no GTID event).
// Also the in-place rewrite of a MySQL GTID event's logical clock.

#include <cstdint>
#include <optional>
#include <string>

#include "binlog/event_header.h"
#include "binlog/format_description.h"
#include "common/result.h"
#include "gtid/gtid_state.h"
#include "gtid/mariadb_gtid.h"
#include "gtid/uuid.h"

namespace binrelay::binlog {

struct transaction_gtid {
  bool mariadb = false;
  gtid::uuid sid;
  std::string tag;
  std::uint64_t gno = 0;
  gtid::mariadb_gtid mariadb_gtid;
};

// The GTID of a GTID / GTID_TAGGED / MariaDB GTID event; nullopt for ANONYMOUS_GTID and every
// other type. Errors: the event's decoder's.
result<std::optional<transaction_gtid>> gtid_of_event(const event_header& h, bytes_view body,
                                                      const format_description& fde);

// Adds a committed transaction's GTID to `state` (MariaDB: becomes its domain's position).
void add_gtid(gtid::gtid_state& state, const transaction_gtid& g);

// The LOGICAL_CLOCK timestamps of a MySQL GTID event.
struct logical_clock {
  std::uint64_t last_committed = 0;
  std::uint64_t sequence_number = 0;
  friend bool operator==(const logical_clock&, const logical_clock&) = default;
};

// Body offsets of a MySQL GTID event's logical clock, present when body[25] == 2.
inline constexpr std::size_t gtid_lt_type_offset = 25;
inline constexpr std::size_t gtid_last_committed_offset = 26;
inline constexpr std::size_t gtid_sequence_number_offset = 34;

// The logical clock of a GTID/ANONYMOUS_GTID event body, when it has one.
std::optional<logical_clock> read_logical_clock(event_type t, bytes_view body);
// Overwrites the logical clock in place. REQUIRES: read_logical_clock(t, body) has a value.
void write_logical_clock(std::uint8_t* body, logical_clock c);

}  // namespace binrelay::binlog
