#pragma once
// group_monitor: keeps the source list's Group Replication view current, as MySQL's
// asynchronous connection failover monitor does (docs/failover.md, "Group Replication").
// Every `interval` it asks the group's members, the current source first and then the
// PRIMARY, on a connection of its own (source_probe.h), until one answers with a view that
// has quorum; it merges that view into the list (one log line per change) and marks the
// members that answered without quorum as in a minority. When the best trusted source is no
// longer the one binrelayd streams from, it calls `on_change` (the IO thread then switches).
// Idle while the list holds no group member.
//
// Threading: run() is a coroutine on the IO thread's executor; stop() there too.
// Lifetime: `sources` must outlive it.

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "protocol/connection.h"
#include "relay/source_list.h"
#include "relay/source_probe.h"

namespace binrelay::relay {

struct group_monitor_config {
  protocol::connection_options connection;  // user, password, TLS; host and port are set
  std::chrono::milliseconds interval{5000};
  std::chrono::milliseconds timeout{3000};  // per member asked
  std::filesystem::path state_dir;          // sources.list is saved there; empty: not saved
};

class group_monitor {
 public:
  group_monitor(boost::asio::any_io_executor executor, group_monitor_config config,
                source_list& sources, std::function<void()> on_change);

  boost::asio::awaitable<void> run();
  void stop();

 private:
  boost::asio::awaitable<void> refresh();

  boost::asio::any_io_executor executor_;
  boost::asio::steady_timer timer_;
  group_monitor_config config_;
  source_list& sources_;
  std::function<void()> on_change_;
  bool stopping_ = false;
};

// Merges what a probe of `address` learnt into `sources` (quorum view, minority mark), logs
// each change once and saves the list in `state_dir` when it changed. Returns true when the
// view changed. Shared by the monitor and the IO thread's probe before streaming.
bool note_probe(source_list& sources, const source_address& address, const source_identity& id,
                const std::filesystem::path& state_dir);

}  // namespace binrelay::relay
