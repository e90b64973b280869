#include "gtid/gtid_set.h"

#include <algorithm>
#include <cassert>

#include "gtid/interval_list.h"

namespace binrelay::gtid {
namespace {

using entry = gtid_set::entry;

bool key_less(const entry& e, const uuid& sid, std::string_view tag) {
  if (e.sid != sid) return e.sid < sid;
  return std::string_view(e.tag) < tag;
}

bool same_key(const entry& e, const uuid& sid, std::string_view tag) {
  return e.sid == sid && std::string_view(e.tag) == tag;
}

template <class Entries>
auto lower_bound_key(Entries& entries, const uuid& sid, std::string_view tag) {
  return std::lower_bound(entries.begin(), entries.end(), 0,
                          [&](const entry& e, int) { return key_less(e, sid, tag); });
}

}  // namespace

const std::vector<interval>* gtid_set::find(const uuid& sid, std::string_view tag) const {
  auto it = lower_bound_key(entries_, sid, tag);
  if (it == entries_.end() || !same_key(*it, sid, tag)) return nullptr;
  return &it->intervals;
}

std::size_t gtid_set::find_or_insert(const uuid& sid, std::string_view tag) {
  if (last_hit_ < entries_.size() && same_key(entries_[last_hit_], sid, tag)) return last_hit_;
  auto it = lower_bound_key(entries_, sid, tag);
  if (it == entries_.end() || !same_key(*it, sid, tag)) {
    it = entries_.insert(it, entry{sid, std::string(tag), {}});
  }
  last_hit_ = static_cast<std::size_t>(it - entries_.begin());
  return last_hit_;
}

void gtid_set::drop_empty_entries() {
  std::erase_if(entries_, [](const entry& e) { return e.intervals.empty(); });
}

void gtid_set::add(const uuid& sid, std::string_view tag, std::uint64_t gno) {
  assert(gno >= 1 && gno <= max_gno);
  assert(is_normalised_tag(tag));
  std::vector<interval>& l = entries_[find_or_insert(sid, tag)].intervals;
  if (!l.empty() && l.back().end_exclusive == gno) {
    ++l.back().end_exclusive;  // the next transaction of a stream: no allocation
    return;
  }
  if (!l.empty() && l.back().end_exclusive < gno) {
    l.push_back({gno, gno + 1});
    return;
  }
  interval_list::add(l, gno, gno + 1);
}

void gtid_set::add_interval(const uuid& sid, std::string_view tag, std::uint64_t start,
                            std::uint64_t end_exclusive) {
  assert(start >= 1 && end_exclusive <= max_gno + 1);
  assert(is_normalised_tag(tag));
  if (start >= end_exclusive) return;
  interval_list::add(entries_[find_or_insert(sid, tag)].intervals, start, end_exclusive);
}

void gtid_set::add(const gtid_set& other) {
  if (&other == this) return;
  for (const entry& e : other.entries_) {
    interval_list::unite(entries_[find_or_insert(e.sid, e.tag)].intervals, e.intervals);
  }
}

void gtid_set::subtract(const gtid_set& other) {
  if (&other == this) {
    clear();
    return;
  }
  for (entry& e : entries_) {
    if (const auto* o = other.find(e.sid, e.tag)) interval_list::subtract(e.intervals, *o);
  }
  drop_empty_entries();
}

void gtid_set::intersect(const gtid_set& other) {
  if (&other == this) return;
  for (entry& e : entries_) {
    if (const auto* o = other.find(e.sid, e.tag)) {
      interval_list::intersect(e.intervals, *o);
    } else {
      e.intervals.clear();
    }
  }
  drop_empty_entries();
}

bool gtid_set::contains(const uuid& sid, std::string_view tag, std::uint64_t gno) const {
  const auto* l = find(sid, tag);
  return l != nullptr && interval_list::contains(*l, gno);
}

bool gtid_set::is_subset_of(const gtid_set& other) const {
  for (const entry& e : entries_) {
    const auto* o = other.find(e.sid, e.tag);
    if (o == nullptr || !interval_list::is_subset(e.intervals, *o)) return false;
  }
  return true;
}

std::uint64_t gtid_set::count() const {
  std::uint64_t n = 0;
  for (const entry& e : entries_) {
    const std::uint64_t c = interval_list::count(e.intervals);
    n = n + c < n ? UINT64_MAX : n + c;
  }
  return n;
}

gtid_set set_union(gtid_set a, const gtid_set& b) {
  a.add(b);
  return a;
}

gtid_set set_intersection(gtid_set a, const gtid_set& b) {
  a.intersect(b);
  return a;
}

gtid_set set_difference(gtid_set a, const gtid_set& b) {
  a.subtract(b);
  return a;
}

}  // namespace binrelay::gtid
