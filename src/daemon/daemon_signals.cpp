#include "daemon/daemon_signals.h"

#include <csignal>
#include <cstring>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/log.h"

namespace binrelay::daemon {

daemon_signals::daemon_signals(boost::asio::io_context& io, relay::relay_store& store,
                               reloadable_settings live, reload_fn reload,
                               std::function<void()> on_stop)
    : stops_(io, SIGTERM, SIGINT),
      hangups_(io, SIGHUP),
      store_(store),
      live_(live),
      reload_(std::move(reload)),
      on_stop_(std::move(on_stop)) {}

void daemon_signals::start() {
  wait_stop();
  wait_hangup();
}

void daemon_signals::stop_reloading() {
  hangups_.cancel();
}

void daemon_signals::wait_stop() {
  stops_.async_wait([this](const boost::system::error_code& ec, int signo) {
    if (ec) return;
    if (stopping_) {
      log::info("received signal {} ({}); already stopping", signo, strsignal(signo));
    } else {
      log::info("received signal {} ({}); stopping", signo, strsignal(signo));
      stopping_ = true;
      on_stop_();
    }
    wait_stop();
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
  if (auto r = log::reopen(); !r) {
    log::error("SIGHUP: {}; still logging to the file open before", r.error().message);
  }
  if (!reload_) {
    log::info("SIGHUP: log file reopened; no config to reload");
    return;
  }
  auto next = reload_();
  if (!next) {
    log::error("SIGHUP: settings not reloaded, the running ones stay: {}", next.error().message);
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
  if (changes.empty()) {
    log::info("SIGHUP: log file reopened, settings reloaded: nothing changed");
  } else {
    log::info("SIGHUP: log file reopened, settings reloaded: {}", fmt::join(changes, ", "));
  }
}

}  // namespace binrelay::daemon
