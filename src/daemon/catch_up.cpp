#include "daemon/catch_up.h"

#include <fmt/format.h>

namespace binrelay::daemon {
namespace {

double megabytes(std::uint64_t bytes) {
  return static_cast<double>(bytes) / 1e6;
}

std::string duration_text(double seconds) {
  auto s = static_cast<std::uint64_t>(seconds + 0.5);
  if (s < 120) return fmt::format("{} s", s);
  if (s < 7200) return fmt::format("{} min", (s + 30) / 60);
  return fmt::format("{:.1f} h", static_cast<double>(s) / 3600);
}

}  // namespace

void catch_up_tracker::observe_store(const std::vector<relay::file_info>& files,
                                     const relay::log_position& end) {
  for (const auto& f : files) {
    sizes_[f.number] = f.size;
    numbers_[f.name] = f.number;
  }
  end_ = absolute(end).value_or(end_);
}

std::optional<std::uint64_t> catch_up_tracker::absolute(const relay::log_position& p) const {
  auto n = numbers_.find(p.file);
  if (n == numbers_.end()) return std::nullopt;
  std::uint64_t before = 0;
  for (auto it = sizes_.begin(); it != sizes_.end() && it->first < n->second; ++it) {
    before += it->second;
  }
  return before + p.offset;
}

std::optional<std::string> catch_up_tracker::sample(const std::string& key,
                                                    const std::string& label,
                                                    const relay::log_position& position,
                                                    std::chrono::steady_clock::time_point now) {
  auto at = absolute(position);
  if (!at) return std::nullopt;
  std::uint64_t behind = end_ > *at ? end_ - *at : 0;
  auto [it, fresh] = readers_.try_emplace(key);
  reader previous = it->second;
  it->second.offset = *at;
  it->second.end = end_;
  it->second.at = now;
  it->second.seen = true;
  if (behind < min_behind_bytes) {
    if (!previous.reported) return std::nullopt;
    it->second.reported = false;
    return fmt::format("{} caught up with the relay log at {}:{}", label, position.file,
                       position.offset);
  }
  double seconds = std::chrono::duration<double>(now - previous.at).count();
  if (fresh || seconds <= 0 || *at < previous.offset) return std::nullopt;
  it->second.reported = true;
  double rate = static_cast<double>(*at - previous.offset) / seconds;
  double growth = static_cast<double>(end_ - std::min(end_, previous.end)) / seconds;
  std::string left =
      rate > growth
          ? "about " + duration_text(static_cast<double>(behind) / (rate - growth)) + " left"
          : fmt::format("not gaining (the relay log grows {:.1f} MB/s)", growth / 1e6);
  return fmt::format("{} catching up: at {}:{}, {:.1f} MB behind, reading {:.1f} MB/s, {}", label,
                     position.file, position.offset, megabytes(behind), rate / 1e6, left);
}

void catch_up_tracker::end_round() {
  std::erase_if(readers_, [](const auto& r) { return !r.second.seen; });
  for (auto& [key, r] : readers_) r.seen = false;
}

}  // namespace binrelay::daemon
