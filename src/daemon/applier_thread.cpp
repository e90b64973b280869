#include "daemon/applier_thread.h"

#include <boost/asio/co_spawn.hpp>

#include "common/log.h"

namespace binrelay::daemon {

applier_thread::applier_thread(const applier::applier_config& config,
                               const relay::relay_store& store, relay::log_end_signal& end_signal,
                               applier::applier_status& status)
    : log_(store, end_signal), status_(status), applier_(io_.get_executor(), config, log_, status) {
  boost::asio::co_spawn(io_, applier_.run(), [this](std::exception_ptr e) { on_exit(e); });
  thread_ = std::thread([this] { io_.run(); });
}

applier_thread::~applier_thread() {
  applier_.stop();
  thread_.join();
}

void applier_thread::on_exit(std::exception_ptr e) {
  if (!e) return;
  std::string what = describe_exception(e);
  log::error("applier ended with an internal error: {}; ingest and serving go on", what);
  status_.update([&](applier::applier_snapshot& s) {
    s.running = false;
    s.last_sql_errno = applier::er_applier_fatal;
    s.last_sql_error = "Internal error in the applier: " + what;
  });
}

}  // namespace binrelay::daemon
