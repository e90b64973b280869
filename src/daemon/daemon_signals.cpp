#include "daemon/daemon_signals.h"

#include <csignal>
#include <cstring>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/log.h"

namespace binrelay::daemon {

daemon_signals::daemon_signals(boost::asio::io_context& io, relay::relay_store& store,
                               reloadable_settings live, reload_fn reload, bool log_file,
                               std::function<void()> on_stop)
    : stops_(io, SIGTERM, SIGINT),
      hangups_(io, SIGHUP),
      store_(store),
      live_(live),
      reload_(std::move(reload)),
      log_file_(log_file),
      on_stop_(std::move(on_stop)) {}

void daemon_signals::start() {
  wait_stop();
  wait_hangup();
}

void daemon_signals::stop_waiting() {
  stops_.cancel();
  hangups_.cancel();
}

void daemon_signals::wait_stop() {
  // Not waited for again: the io_context must be able to run out of work. Later SIGTERMs are
  // still caught (the set stays registered) and have no further effect.
  stops_.async_wait([this](const boost::system::error_code& ec, int signo) {
    if (ec) return;
    log::info("received signal {} ({}); stopping", signo, strsignal(signo));
    on_stop_();
  });
}

void daemon_signals::wait_hangup() {
  hangups_.async_wait([this](const boost::system::error_code& ec, int) {
    if (ec) return;
    hangup();
    wait_hangup();
  });
}

void daemon_signals::hangup() {
  std::string_view reopened = log_file_ ? "log file reopened, " : "";
  if (auto r = log::reopen(); !r) {
    log::error("SIGHUP: {}; still logging to the file open before", r.error().message);
    reopened = "";
  }
  if (!reload_) {
    log::info("SIGHUP: {}no config to reload", reopened);
    return;
  }
  auto next = reload_();
  if (!next) {
    log::error("SIGHUP: {}settings not reloaded, the running ones stay: {}", reopened,
               next.error().message);
    return;
  }
  auto changes = reload_changes(live_, *next);
  log::set_level(next->log_level);
  if (next->retention.max_age != live_.retention.max_age ||
      next->retention.max_total_size != live_.retention.max_total_size) {
    auto purged = store_.set_retention(next->retention);
    if (!purged) {
      log::error("SIGHUP: retention: {}", purged.error().message);
    } else if (*purged > 0) {
      changes.push_back(fmt::format("{} relay log file(s) purged by the new retention", *purged));
    }
  }
  live_ = *next;
  std::string what =
      changes.empty() ? "nothing changed" : fmt::format("{}", fmt::join(changes, ", "));
  log::info("SIGHUP: {}settings reloaded: {}", reopened, what);
}

}  // namespace binrelay::daemon
