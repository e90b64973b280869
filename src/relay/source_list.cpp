#include "relay/source_list.h"

#include <algorithm>

#include <fmt/format.h>

namespace binrelay::relay {

source_list::source_list(std::vector<source_entry> configured) : entries_(std::move(configured)) {}

source_entry* source_list::find(const source_address& address) {
  for (auto& e : entries_) {
    if (e.address == address) return &e;
  }
  return nullptr;
}

const source_entry* source_list::find(const source_address& address) const {
  return const_cast<source_list*>(this)->find(address);
}

namespace {

std::string member_change(const source_entry& before, const group_member& m) {
  std::string name = source_address{m.host, m.port}.to_string();
  if (m.role == "PRIMARY" && before.member_role != "PRIMARY" && m.state == "ONLINE")
    return name + " is the new PRIMARY";
  if (before.member_state != m.state) {
    return before.member_state.empty() || before.member_state == "LEFT"
               ? fmt::format("{} joined the group ({})", name, m.state)
               : fmt::format("{} is {} (was {})", name, m.state, before.member_state);
  }
  return "";
}

}  // namespace

std::vector<std::string> source_list::apply_view(const group_view& view) {
  std::lock_guard lock(mutex_);
  std::vector<std::string> changes;
  group_name_ = view.group_name;
  for (const auto& m : view.members) {
    source_address a{m.host, m.port};
    source_entry* e = find(a);
    if (e == nullptr) {
      source_entry learnt;
      learnt.address = a;
      learnt.origin = source_origin::group;
      entries_.push_back(std::move(learnt));
      e = &entries_.back();
    }
    if (auto c = member_change(*e, m); !c.empty()) changes.push_back(std::move(c));
    e->group_member = true;
    e->member_uuid = m.uuid;
    e->member_state = m.state;
    e->member_role = m.role;
    if (m.state == "ONLINE") e->in_minority = false;
  }
  for (auto& e : entries_) {
    if (!e.group_member || view.find(e.address.host, e.address.port) != nullptr) continue;
    if (e.member_state != "LEFT") {
      changes.push_back(fmt::format("{} left the group ({})", e.address.to_string(),
                                    e.member_state.empty() ? "gone" : e.member_state));
    }
    e.member_state = "LEFT";
    e.member_role.clear();
  }
  std::erase_if(entries_, [](const source_entry& e) {
    return e.origin == source_origin::group && e.member_state == "LEFT";
  });
  return changes;
}

void source_list::set_minority(const source_address& address, bool minority) {
  std::lock_guard lock(mutex_);
  if (auto* e = find(address)) e->in_minority = minority;
}

void source_list::set_error(const source_address& address, std::string text) {
  std::lock_guard lock(mutex_);
  if (auto* e = find(address)) e->last_error = std::move(text);
}

void source_list::set_current(const source_address& address, std::string id) {
  std::lock_guard lock(mutex_);
  current_ = address;
  current_id_ = std::move(id);
}

std::string source_list::current_id() const {
  std::lock_guard lock(mutex_);
  return current_id_;
}

bool source_list::trusted(const source_entry& e) const {
  return distrust_locked(e).empty();
}

std::string source_list::distrust_locked(const source_entry& e) const {
  if (e.in_minority) return "in a minority partition of its group (no quorum in its view)";
  if (e.group_member && e.member_state != "ONLINE")
    return e.member_state == "LEFT" ? "not a member of the group any more"
                                    : "group member " + e.member_state;
  return "";
}

std::vector<source_address> source_list::choice() const {
  std::lock_guard lock(mutex_);
  std::vector<const source_entry*> ok;
  for (const auto& e : entries_) {
    if (trusted(e)) ok.push_back(&e);
  }
  bool multi = std::count_if(ok.begin(), ok.end(),
                             [](const source_entry* e) { return e->member_role == "PRIMARY"; }) > 1;
  auto weight = [multi](const source_entry* e) {
    if (multi || !e->group_member) return e->weight;
    return e->member_role == "PRIMARY" ? managed_primary_weight : managed_secondary_weight;
  };
  std::stable_sort(ok.begin(), ok.end(), [&](const source_entry* a, const source_entry* b) {
    return weight(a) > weight(b);
  });
  std::vector<source_address> out;
  for (auto* e : ok) out.push_back(e->address);
  return out;
}

std::string source_list::distrust_reason(const source_address& address) const {
  std::lock_guard lock(mutex_);
  const source_entry* e = find(address);
  return e == nullptr ? "" : distrust_locked(*e);
}

std::vector<source_address> source_list::group_members() const {
  std::lock_guard lock(mutex_);
  std::vector<source_address> out;
  if (current_) {
    const source_entry* c = find(*current_);
    if (c != nullptr && c->group_member) out.push_back(c->address);
  }
  for (int primary = 1; primary >= 0; --primary) {
    for (const auto& e : entries_) {
      if (!e.group_member || (e.member_role == "PRIMARY") != bool(primary)) continue;
      if (std::find(out.begin(), out.end(), e.address) == out.end()) out.push_back(e.address);
    }
  }
  return out;
}

bool source_list::has_group() const {
  std::lock_guard lock(mutex_);
  return std::any_of(entries_.begin(), entries_.end(),
                     [](const source_entry& e) { return e.group_member; });
}

source_list_snapshot source_list::snapshot() const {
  std::lock_guard lock(mutex_);
  source_list_snapshot s{entries_, current_, current_id_, group_name_};
  for (auto& e : s.entries) e.distrust = distrust_locked(e);
  return s;
}

void source_list::restore(const source_list_snapshot& saved) {
  std::lock_guard lock(mutex_);
  for (const auto& s : saved.entries) {
    source_entry* e = find(s.address);
    if (e == nullptr) {
      if (s.origin != source_origin::group) continue;  // no longer configured
      entries_.push_back(s);
      continue;
    }
    e->group_member = s.group_member;
    e->member_uuid = s.member_uuid;
    e->member_state = s.member_state;
    e->member_role = s.member_role;
  }
  if (group_name_.empty()) group_name_ = saved.group_name;
  if (current_id_.empty()) {
    current_ = saved.current;
    current_id_ = saved.current_id;
  }
}

}  // namespace binrelay::relay
