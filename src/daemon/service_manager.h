#pragma once
// service_manager: what binrelayd tells systemd (sd_notify(3)) when it runs as a Type=notify
// unit: READY=1 once the store is open and the ports listen, STOPPING=1 when a termination
// signal arrives, STATUS= lines, and WATCHDOG=1 every half WatchdogSec= (from the main
// io_context, so a stuck main loop lets systemd restart the daemon). Without NOTIFY_SOCKET
// (not under systemd), or when built without libsystemd, every call does nothing.
// packaging/binrelayd.service, docs/operations.md.
//
// Lives on the executor it is given; call its methods there.

#include <string_view>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

namespace binrelay::daemon {

class service_manager {
 public:
  explicit service_manager(boost::asio::any_io_executor ex);
  // READY=1 with STATUS=`status`; starts the watchdog pings if systemd asked for them.
  void ready(std::string_view status);
  // STOPPING=1 with STATUS=`status`; ends the watchdog pings.
  void stopping(std::string_view status);
  // STATUS=`status` alone (e.g. after a SIGHUP reload).
  void status(std::string_view status);

 private:
  void ping();

  boost::asio::steady_timer watchdog_;
  std::chrono::microseconds watchdog_period_{0};
};

}  // namespace binrelay::daemon
