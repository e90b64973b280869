#include "relay/dump_start.h"

#include <fmt/format.h>

#include "protocol/server_errors.h"

namespace binrelay::relay {
namespace {

// MySQL 9.7's ER_REPLICA_HAS_MORE_GTIDS_THAN_SOURCE, word for word (its "the the" included), so
// tools matching a MySQL source's text match ours.
constexpr std::string_view more_gtids_message =
    "Replica has more GTIDs than the source has, using the source's SERVER_UUID. This may "
    "indicate that the the last binary log file was truncated or lost, e.g., after a power "
    "failure when sync_binlog != 1. The source may have rolled back transactions that were "
    "already replicated to the replica. Replicate any transactions that source has rolled back "
    "from replica to source, and/or commit empty transactions on source to account for "
    "transactions that have been committed on source but are not included in GTID_EXECUTED.";

// Replica GTIDs of a (uuid, tag) the relay knows that the relay has not retrieved.
bool replica_ahead(const gtid::gtid_set& replica, const gtid::gtid_set& retrieved) {
  gtid::gtid_set extra = replica;
  extra.subtract(retrieved);
  for (const auto& e : extra.entries()) {
    if (retrieved.find(e.sid, e.tag) != nullptr) return true;
  }
  return false;
}

result<dump_start> mysql_start(const std::vector<file_info>& files, const gtid::gtid_set& retrieved,
                               const gtid::gtid_set& replica) {
  if (replica_ahead(replica, retrieved))
    return fatal_reading_binlog(std::string(more_gtids_message));
  const gtid::gtid_set& oldest = files.front().before.mysql;
  if (!oldest.is_subset_of(replica)) {
    gtid::gtid_set missing = oldest;
    missing.subtract(replica);
    return fatal_reading_binlog(fmt::format(
        "Cannot replicate because the source purged required binary logs. Replicate the missing "
        "transactions from elsewhere, or provision a new replica from backup. Consider increasing "
        "the source's binary log expiration period. The GTID set sent by the replica is '{}', and "
        "the missing transactions are '{}'",
        replica.to_string(), missing.to_string()));
  }
  std::size_t i = files.size() - 1;
  while (!files[i].before.mysql.is_subset_of(replica)) --i;
  return dump_start{files[i].name, 4};
}

// True when every domain of `before` is at or behind `replica`.
bool position_at_or_behind(const gtid::mariadb_gtid_position& before,
                           const gtid::mariadb_gtid_position& replica) {
  for (const auto& g : before.gtids()) {
    const gtid::mariadb_gtid* r = replica.get(g.domain_id);
    if (r == nullptr || r->seq_no < g.seq_no) return false;
  }
  return true;
}

result<dump_start> mariadb_start(const std::vector<file_info>& files,
                                 const gtid::mariadb_gtid_position& retrieved,
                                 const gtid::mariadb_gtid_position& replica) {
  for (const auto& g : replica.gtids()) {
    const gtid::mariadb_gtid* have = retrieved.get(g.domain_id);
    if (have != nullptr && have->seq_no < g.seq_no) {
      return fatal_reading_binlog(fmt::format(
          "Error: connecting slave requested to start from GTID {}, which is not in the "
          "master's binlog",
          g.to_string()));
    }
  }
  for (std::size_t i = files.size(); i-- > 0;) {
    if (position_at_or_behind(files[i].before.position, replica))
      return dump_start{files[i].name, 4};
  }
  return fatal_reading_binlog(
      "Could not find GTID state requested by slave in any binlog files. Probably the slave "
      "state is too old and required binlog files have been purged.");
}

result<dump_start> file_start(const std::vector<file_info>& files, const dump_request& request) {
  const file_info* found = request.file.empty() ? &files.front() : nullptr;
  for (const auto& f : files) {
    if (f.name == request.file) found = &f;
  }
  if (found == nullptr) {
    return fatal_reading_binlog("Could not find first log file name in binary log index file");
  }
  std::uint64_t pos = request.position < 4 ? 4 : request.position;
  if (pos > found->size) {
    return fatal_reading_binlog(
        "Client requested master to start replication from position > file size");
  }
  return dump_start{found->name, pos};
}

}  // namespace

binrelay::error fatal_reading_binlog(std::string message) {
  binrelay::error e{errc::server_error, std::move(message)};
  e.server_errno = protocol::er::master_fatal_reading_binlog;
  return e;
}

result<dump_start> find_dump_start(const std::vector<file_info>& files, const gtid_state& retrieved,
                                   const dump_request& request) {
  if (files.empty()) {
    return fatal_reading_binlog("Binary log is not open: the relay has no log files yet");
  }
  switch (request.how) {
    case dump_request::mode::mysql_gtid:
      return mysql_start(files, retrieved.mysql, request.mysql_gtids);
    case dump_request::mode::mariadb_gtid:
      return mariadb_start(files, retrieved.position, request.mariadb_gtids);
    case dump_request::mode::file_position:
      return file_start(files, request);
  }
  return fatal_reading_binlog("unknown dump mode");
}

}  // namespace binrelay::relay
