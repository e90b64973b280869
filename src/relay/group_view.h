#pragma once
// group_view: a Group Replication group as one member sees it, from
//   SELECT MEMBER_ID, MEMBER_HOST, MEMBER_PORT, MEMBER_STATE, MEMBER_ROLE
//   FROM performance_schema.replication_group_members
// run on that member (docs/failover.md, "Group Replication"). A member that sees fewer than a
// majority of the members ONLINE is in a minority partition: it cannot commit and its view is
// not trusted. Single-primary mode has exactly one PRIMARY; multi-primary mode makes every
// ONLINE member PRIMARY.
//
// Sans-I/O; a value type.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "protocol/text_result_set.h"

namespace binrelay::relay {

struct group_member {
  std::string uuid;
  std::string host;
  std::uint16_t port = 0;
  std::string state;  // ONLINE, RECOVERING, UNREACHABLE, ERROR, OFFLINE
  std::string role;   // PRIMARY, SECONDARY, or "" (MySQL < 8.0 / not ONLINE)
  bool operator==(const group_member&) const = default;
};

struct group_view {
  std::string group_name;     // @@group_replication_group_name
  std::string reporter_uuid;  // the member that answered
  std::vector<group_member> members;

  // The reporter is in the group: its own row is there, ONLINE or RECOVERING (a member in
  // ERROR or OFFLINE has left, whatever its stale rows say).
  bool is_group() const;
  std::size_t online_count() const;
  // More than half of the members ONLINE in this view.
  bool has_quorum() const { return online_count() * 2 > members.size(); }
  // More than one PRIMARY: multi-primary mode.
  bool multi_primary() const;
  // The ONLINE PRIMARY of a single-primary group; nullptr in multi-primary mode or without one.
  const group_member* primary() const;
  const group_member* find(const std::string& host, std::uint16_t port) const;
};

// The view in the rows of the query above (columns in that order). Errors: corrupt (a row
// with too few columns or a bad port), naming the row.
result<group_view> group_view_from_rows(const std::vector<protocol::text_row>& rows,
                                        std::string reporter_uuid);

}  // namespace binrelay::relay
