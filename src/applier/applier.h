#pragma once
// applier: binrelayd's SQL thread. It applies the relay log to a downstream MariaDB server
// with N parallel workers in LOGICAL_CLOCK / group-commit order, never committing out of
// relay order, keeping each transaction's GTID and recording its progress in the same
// transaction (progress.h). Design and rules: docs/applier.md.
//
//   - A transient error (lost downstream, server shutdown, too many connections; apply_error.h):
//     retried with a growing back-off (config.reconnect_delay doubling up to
//     config.max_reconnect_delay), resuming from the recorded progress; logged once per change.
//   - A permanent error (access denied, unknown variable, duplicate key, missing row, a relay
//     log that cannot be read, an internal error): the applier stops (Slave_SQL_Running: No,
//     Last_SQL_Errno/Error in the server's words) until start(). skip(gtid) before it makes it
//     record that GTID as an empty transaction instead of applying it.
//   - Nothing the applier does ends the process: run() catches every exception at its top and
//     treats it as a permanent error.
//
// Threading: run() on one executor (own thread in binrelayd); stop(), start() and skip() may
// be called from any thread. The store and the status must outlive the applier.

#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "applier/applier_config.h"
#include "applier/applier_status.h"
#include "applier/apply_run.h"
#include "applier/relay_log.h"

namespace binrelay::applier {

class applier {
 public:
  applier(boost::asio::any_io_executor ex, applier_config config, const relay_log& log,
          applier_status& status);
  ~applier();

  // Applies until stop(); returns after the workers finished their transactions.
  boost::asio::awaitable<void> run();
  void stop();
  // STOP SLAVE SQL_THREAD: ends the current run (workers finish their transactions) and waits
  // for start() or skip().
  void pause();
  // START SLAVE: resumes after an error or pause() stopped the applier.
  void start();
  // Records `gtid` ("0-1-42" or "uuid:42") as an empty transaction when the applier meets it
  // (normally the transaction that failed). Does not resume: start() does, as START SLAVE
  // after MySQL's empty-transaction skip.
  void skip(std::string gtid);

 private:
  boost::asio::awaitable<void> wait(std::chrono::milliseconds d);
  void set_error(const apply_error& e, bool running);
  // One run; an exception becomes a permanent error.
  boost::asio::awaitable<run_end> run_once();
  // After a transient error: logs it when it differs from the last one, waits the back-off.
  boost::asio::awaitable<void> back_off(const apply_error& e);

  boost::asio::any_io_executor ex_;
  applier_config config_;
  const relay_log& log_;
  applier_status& status_;
  run_control control_;
  bool start_requested_ = false;
  bool shutting_down_ = false;
  // Waits (status: not running) until start() or stop().
  boost::asio::awaitable<void> wait_for_start();
  apply_run* current_ = nullptr;
  std::chrono::milliseconds retry_delay_{0};  // grows while transient errors repeat
  std::string last_transient_;                // the transient error logged last
  boost::asio::steady_timer timer_;
};

}  // namespace binrelay::applier
