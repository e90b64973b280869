#include "relay/group_monitor.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/log.h"
#include "relay/source_list_file.h"

namespace binrelay::relay {
namespace asio = boost::asio;

bool note_probe(source_list& sources, const source_address& address, const source_identity& id,
                const std::filesystem::path& state_dir) {
  if (!id.group) return false;
  const group_view& view = *id.group;
  bool was_minority = sources.distrust_reason(address).starts_with("in a minority");
  if (!view.has_quorum()) {
    sources.set_minority(address, true);
    if (!was_minority) {
      log::warn(
          "{} sees {} of {} group members ONLINE: it is in a minority partition and is not "
          "trusted until it sees a majority again",
          address.to_string(), view.online_count(), view.members.size());
    }
    return !was_minority;
  }
  sources.set_minority(address, false);
  auto changes = sources.apply_view(view);
  for (const auto& c : changes) log::info("group {}: {}", view.group_name, c);
  if (was_minority) log::info("{} sees a majority of its group again", address.to_string());
  bool changed = !changes.empty() || was_minority;
  if (changed && !state_dir.empty()) {
    if (auto saved = save_source_list(state_dir, sources.snapshot()); !saved)
      log::error("source list: {}", saved.error().describe());
  }
  return changed;
}

group_monitor::group_monitor(asio::any_io_executor executor, group_monitor_config config,
                             source_list& sources, std::function<void()> on_change)
    : executor_(executor),
      timer_(executor),
      config_(std::move(config)),
      sources_(sources),
      on_change_(std::move(on_change)) {}

void group_monitor::stop() {
  stopping_ = true;
  timer_.cancel();
}

asio::awaitable<void> group_monitor::run() {
  while (!stopping_) {
    timer_.expires_after(config_.interval);
    co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    if (stopping_) break;
    if (sources_.has_group()) co_await refresh();
  }
}

asio::awaitable<void> group_monitor::refresh() {
  bool changed = false;
  for (const auto& address : sources_.group_members()) {
    protocol::connection_options o = config_.connection;
    o.host = address.host;
    o.port = address.port;
    auto id = co_await probe_source(executor_, o, config_.timeout);
    if (stopping_) co_return;
    if (!id) {
      sources_.set_error(address, id.error().describe());
      continue;
    }
    changed = note_probe(sources_, address, *id, config_.state_dir) || changed;
    if (id->group && id->group->has_quorum()) break;
  }
  auto snapshot = sources_.snapshot();
  auto choice = sources_.choice();
  bool elsewhere = !snapshot.current || choice.empty() || choice.front() != *snapshot.current;
  if ((changed || elsewhere) && on_change_) on_change_();
}

}  // namespace binrelay::relay
