#pragma once
// applier_thread: the applier (src/applier) on its own thread and io_context, so reading the
// relay log and talking to the downstream never delays ingest or serving. Destruction stops
// the applier (workers finish their transactions) and joins the thread.
//
// Threading: construct and destroy on one thread; the applier's control methods
// (start/pause/skip) may be called from any thread.

#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include "applier/applier.h"

namespace binrelay::daemon {

class applier_thread {
 public:
  applier_thread(const applier::applier_config& config, const relay::relay_store& store,
                 applier::applier_status& status)
      : applier_(io_.get_executor(), config, store, status) {
    boost::asio::co_spawn(io_, applier_.run(), [](std::exception_ptr e) {
      if (e) std::rethrow_exception(e);
    });
    thread_ = std::thread([this] { io_.run(); });
  }
  ~applier_thread() {
    applier_.stop();
    thread_.join();
  }
  applier_thread(const applier_thread&) = delete;
  applier_thread& operator=(const applier_thread&) = delete;

  applier::applier& get() { return applier_; }

 private:
  boost::asio::io_context io_;
  applier::applier applier_;
  std::thread thread_;
};

}  // namespace binrelay::daemon
