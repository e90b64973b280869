#include "daemon/service_manager.h"

#include <string>

#ifdef BINRELAY_HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include "common/log.h"

namespace binrelay::daemon {
namespace {

void notify(const std::string& state) {
#ifdef BINRELAY_HAVE_SYSTEMD
  int r = sd_notify(0, state.c_str());
  if (r < 0) log::warn("sd_notify({}) failed: errno {}", state.substr(0, state.find('\n')), -r);
#else
  (void)state;
#endif
}

}  // namespace

service_manager::service_manager(boost::asio::any_io_executor ex) : watchdog_(ex) {
#ifdef BINRELAY_HAVE_SYSTEMD
  std::uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) > 0) watchdog_period_ = std::chrono::microseconds(usec / 2);
#endif
}

void service_manager::ready(std::string_view text) {
  notify("READY=1\nSTATUS=" + std::string(text));
  if (watchdog_period_.count() > 0) {
    log::info("systemd watchdog: pinging every {} ms", watchdog_period_.count() / 1000);
    ping();
  }
}

void service_manager::stopping(std::string_view text) {
  watchdog_.cancel();
  watchdog_period_ = {};
  notify("STOPPING=1\nSTATUS=" + std::string(text));
}

void service_manager::status(std::string_view text) {
  notify("STATUS=" + std::string(text));
}

void service_manager::ping() {
  notify("WATCHDOG=1");
  watchdog_.expires_after(watchdog_period_);
  watchdog_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec && watchdog_period_.count() > 0) ping();
  });
}

}  // namespace binrelay::daemon
