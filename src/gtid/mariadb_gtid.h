#pragma once
// MariaDB GTIDs and GTID positions (mariadb.com/kb "GTID"; docs/gtid.md, "MariaDB").
//
// A GTID is `domain-server-seq` (u32-u32-u64), e.g. `0-1-100`. A position (gtid_slave_pos,
// gtid_binlog_pos, @slave_connect_state, GTID_LIST events) holds at most one GTID per
// replication domain: the last one applied in that domain. Text form is a comma-separated
// list, printed sorted by domain, "" when empty. Unlike MySQL sets there are no intervals:
// within a domain every seq_no up to the position's is considered applied.
//
// Value types; not thread-safe.

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace binrelay::gtid {

struct mariadb_gtid {
  std::uint32_t domain_id = 0;
  std::uint32_t server_id = 0;
  std::uint64_t seq_no = 0;

  // Parses `domain-server-seq` in decimal, whitespace allowed around the text and the dashes.
  // Fails with errc::invalid_argument naming the offending part and offset.
  static result<mariadb_gtid> parse(std::string_view text);
  std::string to_string() const;

  friend bool operator==(const mariadb_gtid&, const mariadb_gtid&) = default;
  friend auto operator<=>(const mariadb_gtid&, const mariadb_gtid&) = default;
};

class mariadb_gtid_position {
 public:
  mariadb_gtid_position() = default;

  // Parses a comma-separated list of GTIDs, whitespace tolerant; "" is the empty position.
  // Fails (errc::invalid_argument) on bad GTID text, empty list elements, or two GTIDs of
  // the same domain (as MariaDB's gtid_slave_pos does).
  static result<mariadb_gtid_position> parse(std::string_view text);
  // Sorted by domain, joined by ",": `0-1-100,1-2-5`.
  std::string to_string() const;

  // Records `g` as the last GTID of its domain, replacing any earlier entry. Does not
  // allocate when the domain is already present.
  void update(const mariadb_gtid& g);
  // Removes the domain's entry; returns whether there was one.
  bool erase(std::uint32_t domain_id);
  // The domain's entry, or nullptr.
  const mariadb_gtid* get(std::uint32_t domain_id) const;
  // True iff the position has g's domain with seq_no >= g.seq_no (g is already applied).
  bool contains(const mariadb_gtid& g) const;
  // True iff every domain of `other` is present here with seq_no >= other's.
  bool includes(const mariadb_gtid_position& other) const;

  bool empty() const { return gtids_.empty(); }
  std::size_t size() const { return gtids_.size(); }
  // Sorted by domain_id, one per domain.
  const std::vector<mariadb_gtid>& gtids() const { return gtids_; }

  friend bool operator==(const mariadb_gtid_position&, const mariadb_gtid_position&) = default;

 private:
  std::vector<mariadb_gtid> gtids_;
};

}  // namespace binrelay::gtid
