#pragma once
// progress_lines: every `period` (--progress-interval, 10 s by default), samples where the applier
// and each downstream replica are in the relay log and logs catch_up.h's line for those that are
// behind. No line per event.
//
// Runs on the executor given (the daemon's main io_context); start() and stop() on it too.
// `store`, `registry` and `apply_status` (may be null: no applier) must outlive it.

#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "applier/applier_status.h"
#include "daemon/catch_up.h"
#include "relay/relay_store.h"
#include "relay/replica_registry.h"

namespace binrelay::daemon {

class progress_lines {
 public:
  progress_lines(boost::asio::any_io_executor ex, std::chrono::seconds period,
                 const relay::relay_store& store, const relay::replica_registry& registry,
                 const applier::applier_status* apply_status);
  void start();
  void stop();

 private:
  void arm();
  void sample();

  boost::asio::steady_timer timer_;
  std::chrono::seconds period_;
  const relay::relay_store& store_;
  const relay::replica_registry& registry_;
  const applier::applier_status* apply_status_;
  catch_up_tracker tracker_;
  bool stopped_ = false;
};

}  // namespace binrelay::daemon
