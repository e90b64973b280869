// upstream_session: which source to stream from and whether it may be used (the failover
// half of upstream_session.h; docs/failover.md).

#include <algorithm>

#include <fmt/format.h>

#include "common/log.h"
#include "relay/gtid_switch.h"
#include "relay/source_list_file.h"
#include "relay/source_probe.h"
#include "relay/upstream_session.h"

namespace binrelay::relay {
namespace asio = boost::asio;

namespace {

// binrelayd refuses to stream from a source (untrusted, lacking GTIDs): Last_IO_Errno 1593,
// the message alone as Last_IO_Error, and the refusal's back-off (retry_backoff.h).
binrelay::error source_refused(std::string message) {
  return binrelay::error{errc::invalid_argument, std::move(message), er_source_refused};
}

std::string role_of(const source_list& sources, const source_address& a) {
  for (const auto& e : sources.snapshot().entries) {
    if (e.address == a) return e.member_role;
  }
  return "";
}

}  // namespace

std::shared_ptr<source_list> make_source_list(const std::vector<upstream_endpoint>& endpoints) {
  std::vector<source_entry> entries;
  for (const auto& ep : endpoints) {
    source_entry e;
    e.address = {ep.host, ep.port};
    e.weight = ep.weight;
    entries.push_back(std::move(e));
  }
  return std::make_shared<source_list>(std::move(entries));
}

std::optional<source_address> upstream_session::pick() const {
  auto choice = sources_->choice();
  for (const auto& a : choice) {
    if (std::find(tried_.begin(), tried_.end(), a) == tried_.end()) return a;
  }
  if (choice.empty()) return std::nullopt;
  return choice.front();  // every one failed since the last progress: start the round again
}

void upstream_session::note_tried(const source_address& a) {
  if (std::find(tried_.begin(), tried_.end(), a) == tried_.end()) tried_.push_back(a);
  auto choice = sources_->choice();
  bool all = std::all_of(choice.begin(), choice.end(), [&](const source_address& c) {
    return std::find(tried_.begin(), tried_.end(), c) != tried_.end();
  });
  if (all) tried_.clear();
}

std::string upstream_session::untrusted_summary() const {
  std::string out;
  for (const auto& e : sources_->snapshot().entries) {
    if (!out.empty()) out += "; ";
    out += e.address.to_string() + " " + sources_->distrust_reason(e.address);
  }
  return out.empty() ? "the source list is empty" : out;
}

std::chrono::milliseconds upstream_session::failed_hold() const {
  return std::max<std::chrono::milliseconds>(std::chrono::seconds(5), 2 * config_.monitor_interval);
}

std::optional<source_address> upstream_session::best_working() const {
  auto choice = sources_->choice();
  auto now = std::chrono::steady_clock::now();
  for (const auto& a : choice) {
    auto failed = failed_at_.find(a.to_string());
    if (failed == failed_at_.end() || now - failed->second > failed_hold()) return a;
  }
  if (choice.empty()) return std::nullopt;
  return choice.front();
}

void upstream_session::reconsider() {
  if (stopping_) return;
  auto best = best_working();
  auto current = sources_->snapshot().current;
  if (client_ != nullptr) {
    if (best && current && *best == *current) return;
    std::string target = best ? best->to_string() : "";
    if (target != last_leaving_) {
      log::info("leaving {}: {}", current ? current->to_string() : "the source",
                best ? target + " is now the best source"
                     : "no trusted source remains (" + untrusted_summary() + ")");
      last_leaving_ = target;
    }
    switching_ = best.has_value();
    client_->raw_connection().close();
    return;
  }
  // Waiting after a failure: end the wait when a source that has not just failed is usable.
  auto now = std::chrono::steady_clock::now();
  for (const auto& a : sources_->choice()) {
    auto failed = failed_at_.find(a.to_string());
    if (failed != failed_at_.end() && now - failed->second <= failed_hold()) continue;
    retry_timer_.cancel();
    return;
  }
}

protocol::connection_options upstream_session::connection_options(
    const upstream_endpoint& ep) const {
  protocol::connection_options o;
  o.host = ep.host;
  o.port = ep.port;
  o.user = config_.user;
  o.password = config_.password;
  o.tls = config_.tls;
  o.compress = config_.compress;
  o.connect_timeout = config_.connect_timeout;
  return o;
}

upstream_endpoint upstream_session::endpoint_for(const source_address& a) const {
  upstream_endpoint ep{a.host, a.port};
  for (const auto& e : sources_->snapshot().entries) {
    if (e.address == a) ep.weight = e.weight;
  }
  return ep;
}

asio::awaitable<result<void>> upstream_session::probe_and_vet(const upstream_endpoint& ep) {
  source_address address{ep.host, ep.port};
  auto id = co_await probe_source(executor_, connection_options(ep), config_.probe_timeout);
  if (!id) co_return std::move(id).error();
  note_probe(*sources_, address, *id, config_.state_dir);
  if (auto why = sources_->distrust_reason(address); !why.empty())
    co_return source_refused(fmt::format("source {} is not used: {}", address.to_string(), why));
  if (auto best = pick(); best && *best != address) {
    log::info("{} is not the best source{}; following {}", address.to_string(),
              id->group ? " (a " + role_of(*sources_, address) + " of its group)" : "",
              best->to_string());
    switching_ = true;
    co_return make_error(errc::closed, "a better source is known: {}", best->to_string());
  }
  auto checked = check_gtids(ep, *id);
  if (!checked) co_return checked;
  probed_ = std::move(*id);
  co_return result<void>();
}

result<void> upstream_session::check_gtids(const upstream_endpoint& ep, const source_identity& id) {
  gtid_state held = store_.retrieved();
  std::string last = sources_->current_id();
  if (id.id() == last || (held.mariadb ? held.position.empty() : held.mysql.empty())) return {};
  if (held.mariadb != id.mariadb && !store_.files().empty()) {
    return source_refused(fmt::format(
        "source {} is {}, the relay log holds {} GTIDs", (ep.host + ":" + std::to_string(ep.port)),
        id.mariadb ? "MariaDB" : "MySQL", held.mariadb ? "MariaDB" : "MySQL"));
  }
  auto cmp = compare_for_switch(held, id.executed);
  if (!cmp.extra.empty() && logged_extra_ != id.id() + cmp.extra) {
    logged_extra_ = id.id() + cmp.extra;
    log::info("new source {} ({}) has GTIDs of servers binrelayd never followed: '{}'",
              (ep.host + ":" + std::to_string(ep.port)), id.id(), cmp.extra);
  }
  if (cmp.missing.empty()) return {};
  if (!config_.accept_missing_gtids) {
    return source_refused(
        fmt::format("source {} ({}) lacks GTIDs binrelayd already holds: '{}'; refused "
                    "(--failover-accept-missing-gtids would accept it, and report them errant)",
                    (ep.host + ":" + std::to_string(ep.port)), id.id(), cmp.missing));
  }
  log::warn(
      "source {} ({}) lacks GTIDs binrelayd holds: '{}'; accepted by "
      "--failover-accept-missing-gtids: they are errant (in the relay log, in no history "
      "of the new source)",
      (ep.host + ":" + std::to_string(ep.port)), id.id(), cmp.missing);
  status_.update([&](upstream_snapshot& s) { s.errant_gtids = cmp.missing; });
  return {};
}

void upstream_session::note_source_in_use(const upstream_endpoint& ep) {
  source_address address{ep.host, ep.port};
  auto before = sources_->snapshot();
  std::string id = probed_ ? probed_->id() : before.current_id;
  sources_->set_error(address, "");
  failed_at_.erase(address.to_string());
  last_leaving_.clear();
  if (before.current && *before.current != address) {
    std::string why = sources_->distrust_reason(*before.current);
    std::string role = role_of(*sources_, address);
    log::info("switched source: following {}{} instead of {}{}", address.to_string(),
              role.empty() ? "" : ", the " + role + " of group " + before.group_name,
              before.current->to_string(), why.empty() ? "" : " (" + why + ")");
  }
  if (before.current == address && before.current_id == id) return;
  sources_->set_current(address, id);
  if (config_.state_dir.empty()) return;
  if (auto saved = save_source_list(config_.state_dir, sources_->snapshot()); !saved)
    log::error("source list: {}", saved.error().describe());
}

}  // namespace binrelay::relay
