#pragma once
// upstream_session: binrelayd's receiver (a MySQL replica's IO thread). It connects to the
// primary as a replica, asks for everything after the store's retrieved GTIDs, and appends the
// stream to the relay store. On any failure it discards the partial transaction the store
// holds (after a failed write the store also rewinds to what its file holds), records the
// error in upstream_status, waits (retry_backoff.h: exponential, capped, slower for the
// source's refusals such as ERR 1236 or 1045) and reconnects — to the next configured upstream
// when the connection itself failed — resuming from the retrieved set, so the log has no gap
// and no duplicate. The wait grows with every attempt that made no progress (stored nothing,
// never caught up), whatever failed. Last_IO_Errno / Last_IO_Error keep the first cause of a
// run of failed attempts (a later failure is often its consequence) unless the source refuses
// us, until an attempt makes progress.
// A store that refuses writes (an io_error: ENOSPC, EIO, a failed fdatasync) shows as
// Last_IO_Errno 1595 and the session retries against the same upstream.
//
// Which source (docs/failover.md): the best trusted entry of the source list
// (source_list.h: --upstream entries and Group Replication members, by role and weight) that
// has not failed since the last progress. Before streaming it probes the candidate on a
// connection of its own (source_probe.h): a Group Replication member tells the group, which
// may point elsewhere (the PRIMARY; a member in a minority is not used); a server other than
// the one the relay log last came from (by server_uuid / server_id, so also a new server
// behind the same address) must hold every GTID binrelayd holds (gtid_switch.h), else it is
// refused (Last_IO_Errno 1593) and the next candidate tried. A group_monitor keeps the view
// current while streaming and makes the session switch when the best source changes.
//
// Logs one line per state change (connected, disconnected, a changed error) and a progress
// line every progress_interval while it catches up on a backlog; never per event nor per identical
// retry.
//
// Threading: run() is a coroutine on one executor; the store and status are thread-safe.
// Lifetime: the store and status must outlive the session.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "common/result.h"
#include "protocol/connection.h"
#include "protocol/replication_client.h"
#include "relay/failure_report.h"
#include "relay/group_monitor.h"
#include "relay/relay_store.h"
#include "relay/source_list.h"
#include "relay/upstream_status.h"

namespace binrelay::relay {

struct upstream_endpoint {
  std::string host;
  std::uint16_t port = 3306;
  std::uint32_t weight = 50;  // 1-100, the highest healthy one is used (source_list.h)
};

struct upstream_config {
  std::vector<upstream_endpoint> endpoints;  // tried in order; the next after a failed connect
  std::string user;
  std::string password;
  protocol::tls_options tls;
  bool compress = false;
  // Acknowledge as a semi-sync replica (docs/failover.md): after the transaction an event
  // asks about is in the relay log (fdatasync'ed first when the store's sync policy is
  // per_transaction), the session sends the source the position it reached.
  bool semi_sync = false;
  std::uint32_t server_id = 0;  // ours, as a replica
  std::string server_uuid;      // ours, as a replica (MySQL @replica_uuid)
  std::chrono::milliseconds heartbeat_period{1000};
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds retry_initial{1000};
  std::chrono::milliseconds retry_max{60'000};            // transient failures' cap
  std::chrono::milliseconds retry_max_permanent{60'000};  // the source's refusals' cap
  // Failover (docs/failover.md). The list shared with the admin port; null: the session
  // makes its own from `endpoints`.
  std::shared_ptr<source_list> sources;
  std::filesystem::path state_dir;    // sources.list is saved there; empty: not saved
  bool accept_missing_gtids = false;  // stream from a source lacking GTIDs we hold (errant)
  std::chrono::milliseconds monitor_interval{5000};  // group view refresh
  std::chrono::seconds progress_interval{10};        // "catching up" lines
  std::chrono::milliseconds probe_timeout{3000};     // per probe of a source
  // Optional; called on the session's executor after each connect with what the primary said
  // (binrelayd remembers its version, daemon/source_version.h).
  std::function<void(const protocol::replication_session_info&)> on_connected;
};

class upstream_session {
 public:
  upstream_session(boost::asio::any_io_executor executor, upstream_config config,
                   relay_store& store, upstream_status& status);

  // Replicates until stop() is called.
  boost::asio::awaitable<void> run();
  // Ends run(): closes the connection and the backoff wait. Call on the session's executor.
  void stop();
  // The best source may have changed (the group monitor's call): leaves the current one for
  // it, or ends the backoff wait. Call on the session's executor.
  void reconsider();
  const std::shared_ptr<source_list>& sources() const { return sources_; }

 private:
  boost::asio::awaitable<void> replicate_loop();
  // The best trusted source not tried since the last progress.
  std::optional<source_address> pick() const;
  // One connection: probe, check, connect, stream into the store until an error ends it.
  boost::asio::awaitable<result<void>> replicate_from(const upstream_endpoint& ep);
  // Probes `ep`; an error when binrelayd must not stream from it (untrusted, a better source
  // known: switching_ set, or lacking GTIDs binrelayd holds).
  boost::asio::awaitable<result<void>> probe_and_vet(const upstream_endpoint& ep);
  result<void> check_gtids(const upstream_endpoint& ep, const source_identity& id);
  void note_tried(const source_address& a);
  std::chrono::milliseconds failed_hold() const;
  // The best source that has not failed within failed_hold(); nullopt when none is usable.
  std::optional<source_address> best_working() const;
  // Streaming from `ep` now: remembers it as the source (saved), logs a switch.
  void note_source_in_use(const upstream_endpoint& ep);
  std::string untrusted_summary() const;
  protocol::connection_options connection_options(const upstream_endpoint& ep) const;
  upstream_endpoint endpoint_for(const source_address& a) const;
  boost::asio::awaitable<result<void>> stream_events(protocol::replication_client& client);
  protocol::replication_options replication_options(const upstream_endpoint& ep) const;
  void note_connected(const upstream_endpoint& ep, const protocol::replication_session_info& info);
  // Records the failure in the status; true when it was logged (the error changed).
  bool note_failure(const upstream_endpoint& ep, const error& e);
  // The attempt stored a transaction or caught up: the run of failures is over.
  void note_progress();
  void note_received(std::span<const bytes_view> batch, std::size_t bytes);
  void count_received(std::span<const bytes_view> batch, std::size_t bytes);
  void report_progress(std::int64_t event_unix);
  // The semi-sync ACK for what the store holds now (after a batch with an event asking).
  boost::asio::awaitable<result<void>> acknowledge(protocol::replication_client& client);

  boost::asio::any_io_executor executor_;
  boost::asio::steady_timer retry_timer_;
  std::shared_ptr<source_list> sources_;
  std::vector<source_address> tried_;  // failed since the last progress
  // When each source last failed: reconsider() does not leave a working source for one that
  // failed within failed_hold() (a dead primary the group has not expelled yet).
  std::map<std::string, std::chrono::steady_clock::time_point> failed_at_;
  std::string last_leaving_;  // the target of the last "leaving" line (logged once)
  std::string logged_extra_;  // the candidate and extra GTIDs last logged (logged once)
  bool switching_ = false;    // leaving the source for a better one: no backoff
  std::optional<source_identity> probed_;           // the source being connected to
  group_monitor* monitor_ = nullptr;                // while run() runs
  protocol::replication_client* client_ = nullptr;  // while connected
  bool stopping_ = false;
  upstream_config config_;
  relay_store& store_;
  upstream_status& status_;
  bool streamed_ = false;      // the last connection got as far as streaming events
  bool store_failed_ = false;  // the last connection ended because the store refused an append
  bool progressed_ = false;    // the last connection stored a transaction or caught up
  failure_report report_;      // what a failure changes in the status and the log
  std::chrono::steady_clock::time_point last_progress_{};
  std::uint64_t bytes_at_last_progress_ = 0;
};

// A list of `endpoints` as configured (weights as given).
std::shared_ptr<source_list> make_source_list(const std::vector<upstream_endpoint>& endpoints);

// Where a receiver failure came from: the source connection or the relay log it writes.
enum class failure_origin { source, relay_log };

// Last_IO_Errno / Last_IO_Error as a MySQL replica reports a failure of its receiver:
// ERR 1236 from the source becomes 13114 "Got fatal error 1236 from source when reading data
// from binary log: '<message>'"; an io_error of the relay log (a failed write or fdatasync)
// becomes 1595 "Relay log write failure: <description>"; other errors keep their server errno
// (or 2003 for network failures, 1045 for refused authentication) and binrelay's description.
std::pair<std::uint32_t, std::string> io_error_for_status(
    const error& e, failure_origin origin = failure_origin::source);

}  // namespace binrelay::relay
