#pragma once
// daemon_signals: what binrelayd does on a signal (docs/operations.md, "Signals").
//   SIGTERM, SIGINT: calls `on_stop` once (the daemon stops gracefully); later ones are
//                    caught and ignored.
//   SIGHUP:          reopens the log file (logrotate), reads the reloadable settings again
//                    (reload.h) and applies those that changed: the log level, and the
//                    retention limits (purging at once by the new ones); logs what changed, or
//                    why nothing was reloaded. Never stops the daemon.
// The signals are caught from construction on; those arriving before start() are handled
// when it is called.
//
// Lives on the io_context it is given; its handlers run there. `store` must outlive it.

#include <functional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "common/result.h"
#include "daemon/reload.h"
#include "relay/relay_store.h"

namespace binrelay::daemon {

class daemon_signals {
 public:
  using reload_fn = std::function<result<reloadable_settings>()>;

  // `log_file`: the log goes to a file that SIGHUP reopens (log::to_file was called).
  daemon_signals(boost::asio::io_context& io, relay::relay_store& store, reloadable_settings live,
                 reload_fn reload, bool log_file, std::function<void()> on_stop);
  // Starts waiting for the signals.
  void start();
  // Stops waiting for the signals (at shutdown, so the io_context can run out of work);
  // they are still caught (and ignored) until destruction.
  void stop_waiting();

 private:
  void wait_stop();
  void wait_hangup();
  void hangup();

  boost::asio::signal_set stops_;
  boost::asio::signal_set hangups_;
  relay::relay_store& store_;
  reloadable_settings live_;
  reload_fn reload_;
  bool log_file_;
  std::function<void()> on_stop_;
};

}  // namespace binrelay::daemon
