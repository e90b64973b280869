#include "gtid/interval_list.h"

#include <algorithm>

namespace binrelay::gtid::interval_list {
namespace {

// Appends [start, end) to a list being built in order, merging with its last interval when
// they overlap or touch. REQUIRES start >= out.back().start.
void append_merged(list& out, std::uint64_t start, std::uint64_t end) {
  if (!out.empty() && start <= out.back().end_exclusive) {
    out.back().end_exclusive = std::max(out.back().end_exclusive, end);
  } else {
    out.push_back({start, end});
  }
}

}  // namespace

void add(list& l, std::uint64_t start, std::uint64_t end) {
  // First interval that ends at or after `start` (touching counts as overlapping).
  auto first = std::lower_bound(l.begin(), l.end(), start, [](const interval& iv, std::uint64_t s) {
    return iv.end_exclusive < s;
  });
  if (first == l.end() || first->start > end) {
    l.insert(first, {start, end});
    return;
  }
  // Intervals [first, last) overlap or touch [start, end); merge them into *first.
  auto last = std::upper_bound(first, l.end(), end,
                               [](std::uint64_t e, const interval& iv) { return e < iv.start; });
  first->start = std::min(first->start, start);
  first->end_exclusive = std::max((last - 1)->end_exclusive, end);
  l.erase(first + 1, last);
}

void unite(list& a, const list& b) {
  if (b.empty()) return;
  if (a.empty()) {
    a = b;
    return;
  }
  if (b.size() == 1) {
    add(a, b[0].start, b[0].end_exclusive);
    return;
  }
  list out;
  out.reserve(a.size() + b.size());
  std::size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    const bool take_a = j == b.size() || (i < a.size() && a[i].start <= b[j].start);
    const interval& iv = take_a ? a[i++] : b[j++];
    append_merged(out, iv.start, iv.end_exclusive);
  }
  a.swap(out);
}

void subtract(list& a, const list& b) {
  if (a.empty() || b.empty()) return;
  list out;
  out.reserve(a.size() + b.size());
  std::size_t j = 0;
  for (const interval& iv : a) {
    std::uint64_t start = iv.start;
    const std::uint64_t end = iv.end_exclusive;
    while (j < b.size() && b[j].end_exclusive <= start) ++j;
    // Cut every b interval that overlaps [start, end) out of it.
    std::size_t k = j;
    while (k < b.size() && b[k].start < end && start < end) {
      if (b[k].start > start) out.push_back({start, b[k].start});
      start = std::max(start, b[k].end_exclusive);
      if (b[k].end_exclusive <= end)
        ++k;
      else
        break;
    }
    j = k;
    if (start < end) out.push_back({start, end});
  }
  a.swap(out);
}

void intersect(list& a, const list& b) {
  list out;
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    const std::uint64_t start = std::max(a[i].start, b[j].start);
    const std::uint64_t end = std::min(a[i].end_exclusive, b[j].end_exclusive);
    if (start < end) out.push_back({start, end});
    if (a[i].end_exclusive < b[j].end_exclusive)
      ++i;
    else
      ++j;
  }
  a.swap(out);
}

bool contains(const list& l, std::uint64_t gno) {
  auto it = std::upper_bound(l.begin(), l.end(), gno,
                             [](std::uint64_t g, const interval& iv) { return g < iv.start; });
  return it != l.begin() && gno < (it - 1)->end_exclusive;
}

bool is_subset(const list& a, const list& b) {
  std::size_t j = 0;
  for (const interval& iv : a) {
    while (j < b.size() && b[j].end_exclusive <= iv.start) ++j;
    // b is merged, so a single b interval must cover all of iv.
    if (j == b.size() || b[j].start > iv.start || b[j].end_exclusive < iv.end_exclusive) {
      return false;
    }
  }
  return true;
}

std::uint64_t count(const list& l) {
  std::uint64_t n = 0;
  for (const interval& iv : l) {
    const std::uint64_t len = iv.end_exclusive - iv.start;
    n = n + len < n ? UINT64_MAX : n + len;
  }
  return n;
}

bool is_valid(const list& l) {
  std::uint64_t previous_end = 0;
  for (std::size_t i = 0; i < l.size(); ++i) {
    const interval& iv = l[i];
    if (iv.start == 0 || iv.start >= iv.end_exclusive || iv.end_exclusive > max_gno + 1)
      return false;
    if (i > 0 && iv.start <= previous_end) return false;
    previous_end = iv.end_exclusive;
  }
  return true;
}

}  // namespace binrelay::gtid::interval_list
