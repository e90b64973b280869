#pragma once
// applier_thread: the applier (src/applier) on its own thread and io_context, so reading the
// relay log and talking to the downstream never delays ingest or serving. Destruction stops
// the applier (workers finish their transactions) and joins the thread.
//
// Fault isolation: the applier turns its own failures into a stopped SQL thread
// (applier.h); should anything still escape, it is logged and shown as the SQL thread's
// error, and the thread keeps waiting for the daemon to end. Ingest and serving go on.
//
// Threading: construct and destroy on one thread; the applier's control methods
// (start/pause/skip) may be called from any thread.

#include <thread>

#include <boost/asio/io_context.hpp>

#include "applier/applier.h"
#include "daemon/relay_log_source.h"

namespace binrelay::daemon {

class applier_thread {
 public:
  applier_thread(const applier::applier_config& config, const relay::relay_store& store,
                 relay::log_end_signal& end_signal, applier::applier_status& status);
  ~applier_thread();
  applier_thread(const applier_thread&) = delete;
  applier_thread& operator=(const applier_thread&) = delete;

  applier::applier& get() { return applier_; }

 private:
  void on_exit(std::exception_ptr e);

  boost::asio::io_context io_;
  relay_log_source log_;
  applier::applier_status& status_;
  applier::applier applier_;
  std::thread thread_;
};

}  // namespace binrelay::daemon
