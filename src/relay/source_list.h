#pragma once
// source_list: the sources binrelayd may replicate from and which one to use
// (docs/failover.md). Entries come from --upstream HOST:PORT[,WEIGHT] ("configured") and from
// Group Replication views ("group": members learnt from a member's replication_group_members).
// The choice, best first:
//   1. only trusted entries: not known to be in a minority partition, and, for group members,
//      ONLINE in the latest trusted view (RECOVERING, UNREACHABLE, ERROR, OFFLINE and members
//      that left the group are avoided);
//   2. by weight, highest first, then in the order given. The weight is the one given
//      (1-100, default 50; learnt members 50) except for members of a single-primary group,
//      which take MySQL's managed weights: PRIMARY 80, SECONDARY 60 (so the PRIMARY comes
//      first, and only a plain source given a weight above 80 goes before it).
// A plain list or a multi-primary group thus uses the highest-weight healthy source.
//
// Thread-safe: one mutex; the IO thread, its group monitor and the admin port share it.

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "relay/group_view.h"

namespace binrelay::relay {

enum class source_origin { configured, group };

// MySQL's defaults for asynchronous_connection_failover_add_managed.
inline constexpr std::uint32_t managed_primary_weight = 80;
inline constexpr std::uint32_t managed_secondary_weight = 60;

struct source_address {
  std::string host;
  std::uint16_t port = 3306;
  bool operator==(const source_address&) const = default;
  std::string to_string() const { return host + ":" + std::to_string(port); }
};

struct source_entry {
  source_address address;
  std::uint32_t weight = 50;
  source_origin origin = source_origin::configured;
  bool group_member = false;  // seen in a group view
  std::string member_uuid;
  std::string member_state;  // as the latest trusted view says; "LEFT" once out of it
  std::string member_role;
  bool in_minority = false;  // its own view lacked quorum
  std::string last_error;    // the latest refusal or failure, "" after a success
  std::string distrust;      // in snapshots: why it is not used now ("" when it may be)
};

struct source_list_snapshot {
  std::vector<source_entry> entries;
  std::optional<source_address> current;  // streaming from (or last connected to)
  // The server the relay log last came from: "uuid" (MySQL) or "server_id N" (MariaDB).
  std::string current_id;
  std::string group_name;  // "" when no group is known
};

class source_list {
 public:
  explicit source_list(std::vector<source_entry> configured);

  // Merges `view` (from a member that has quorum): members become entries, entries of the
  // group missing from it are marked LEFT, learnt entries that left are dropped. Returns one
  // operator-readable sentence per change ("127.0.0.1:3307 is UNREACHABLE", "127.0.0.1:3308
  // is the new PRIMARY"), empty when nothing changed.
  std::vector<std::string> apply_view(const group_view& view);
  // The member at `address` answered with a view without quorum (true), or with quorum.
  void set_minority(const source_address& address, bool minority);
  void set_error(const source_address& address, std::string text);
  // binrelayd streams from `address`, the server `id` (see current_id).
  void set_current(const source_address& address, std::string id);
  std::string current_id() const;

  // Trusted entries, best first (see above). Empty: nothing may be used now.
  std::vector<source_address> choice() const;
  // Why `address` is not in choice() ("" when it is, or unknown).
  std::string distrust_reason(const source_address& address) const;
  // Group members, best first (whom the monitor asks for a view).
  std::vector<source_address> group_members() const;
  bool has_group() const;
  source_list_snapshot snapshot() const;
  // The entries as given and learnt (for saving and restoring).
  void restore(const source_list_snapshot& saved);

 private:
  source_entry* find(const source_address& address);
  const source_entry* find(const source_address& address) const;
  bool trusted(const source_entry& e) const;
  std::string distrust_locked(const source_entry& e) const;

  mutable std::mutex mutex_;
  std::vector<source_entry> entries_;
  std::optional<source_address> current_;
  std::string current_id_;
  std::string group_name_;
};

}  // namespace binrelay::relay
