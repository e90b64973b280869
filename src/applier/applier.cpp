#include "applier/applier.h"

#include <algorithm>
#include <exception>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/log.h"

namespace binrelay::applier {
namespace asio = boost::asio;
using asio::awaitable;

applier::applier(asio::any_io_executor ex, applier_config config, const relay_log& log,
                 applier_status& status)
    : ex_(ex), config_(std::move(config)), log_(log), status_(status), timer_(ex) {
  control_.skip_gtid = config_.skip_gtid;
}

applier::~applier() = default;

void applier::stop() {
  asio::post(ex_, [this] {
    shutting_down_ = true;
    control_.stopping = true;
    if (current_) current_->wake();
    timer_.cancel();
  });
}

void applier::pause() {
  asio::post(ex_, [this] {
    start_requested_ = false;
    control_.stopping = true;
    if (current_) current_->wake();
    timer_.cancel();
  });
}

void applier::start() {
  asio::post(ex_, [this] {
    start_requested_ = true;
    timer_.cancel();
  });
}

void applier::skip(std::string gtid) {
  asio::post(ex_, [this, g = std::move(gtid)] { control_.skip_gtid = g; });
}

awaitable<void> applier::wait(std::chrono::milliseconds d) {
  timer_.expires_after(d);
  co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
}

void applier::set_error(const apply_error& e, bool running) {
  status_.update([&](applier_snapshot& s) {
    s.running = running;
    s.last_sql_errno = e.code;
    s.last_sql_error = e.text;
    s.last_sql_error_unix = e.code == 0 ? 0
                                        : std::chrono::duration_cast<std::chrono::seconds>(
                                              std::chrono::system_clock::now().time_since_epoch())
                                              .count();
  });
}

awaitable<void> applier::wait_for_start() {
  status_.update([](applier_snapshot& s) {
    s.running = false;
    s.state = "";
  });
  while (!start_requested_ && !shutting_down_) co_await wait(std::chrono::hours(1));
  if (shutting_down_) co_return;
  control_.stopping = false;
  retry_delay_ = {};
  last_transient_.clear();
  log::info("applier: starting again{}",
            control_.skip_gtid.empty() ? "" : " (skip " + control_.skip_gtid + ")");
  set_error({}, true);
}

awaitable<run_end> applier::run_once() {
  std::string what;
  try {
    apply_run run(ex_, config_, log_, status_, control_);
    current_ = &run;
    run_end end = co_await run.run();
    current_ = nullptr;
    co_return end;
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
    what = "unknown exception";
  }
  current_ = nullptr;
  co_return run_end{run_outcome::sql_error,
                    {er_applier_fatal, "Internal error in the applier: " + what}};
}

awaitable<void> applier::back_off(const apply_error& e) {
  retry_delay_ = retry_delay_.count() == 0
                     ? config_.reconnect_delay
                     : std::min(retry_delay_ * 2, config_.max_reconnect_delay);
  if (e.text != last_transient_) {
    log::warn(
        "applier: {}; retrying in {} ms (the delay doubles while this error repeats, up "
        "to {} ms)",
        e.text, retry_delay_.count(), config_.max_reconnect_delay.count());
    last_transient_ = e.text;
  }
  set_error(e, true);
  co_await wait(retry_delay_);
}

awaitable<void> applier::run() {
  status_.update([](applier_snapshot& s) { s.configured = true; });
  while (!shutting_down_) {
    run_end end = co_await run_once();
    if (end.connected) {  // the back-off starts again at the next transient error
      last_transient_.clear();
      retry_delay_ = {};
    }
    if (end.outcome == run_outcome::stopped) {
      if (shutting_down_) break;
      log::info("applier: stopped by STOP SLAVE");
      co_await wait_for_start();
      continue;
    }
    if (end.outcome == run_outcome::connection_error) {
      co_await back_off(end.error);
      continue;
    }
    log::error("applier stopped: Last_SQL_Errno {}: {}", end.error.code, end.error.text);
    set_error(end.error, false);
    start_requested_ = false;
    co_await wait_for_start();
  }
  status_.update([](applier_snapshot& s) { s.running = false; });
}

}  // namespace binrelay::applier
