#include "daemon/progress_lines.h"

#include <fmt/format.h>

#include "common/log.h"

namespace binrelay::daemon {

progress_lines::progress_lines(boost::asio::any_io_executor ex, std::chrono::seconds period,
                               const relay::relay_store& store,
                               const relay::replica_registry& registry,
                               const applier::applier_status* apply_status)
    : timer_(ex),
      period_(period),
      store_(store),
      registry_(registry),
      apply_status_(apply_status) {}

void progress_lines::start() {
  stopped_ = false;
  arm();
}

void progress_lines::stop() {
  stopped_ = true;
  timer_.cancel();
}

void progress_lines::arm() {
  timer_.expires_after(period_);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopped_) return;
    sample();
    arm();
  });
}

void progress_lines::sample() {
  auto now = std::chrono::steady_clock::now();
  tracker_.observe_store(store_.files(), store_.end_position());
  auto report = [&](const std::string& key, const std::string& label,
                    const relay::log_position& at) {
    if (auto line = tracker_.sample(key, label, at, now)) log::info("{}", *line);
  };
  if (apply_status_) {
    auto a = apply_status_->snapshot();
    if (a.configured && a.running && !a.relay_log_file.empty())
      report("applier", "applier", {a.relay_log_file, a.relay_log_pos});
  }
  for (const auto& r : registry_.snapshot()) {
    if (!r.dumping || r.position.file.empty()) continue;
    report(fmt::format("replica {}", r.server_id),
           fmt::format("replica server_id {} ({}:{})", r.server_id, r.host, r.port), r.position);
  }
  tracker_.end_round();
}

}  // namespace binrelay::daemon
