#pragma once
// Operations on one sorted interval list: half-open intervals [start, end_exclusive), sorted,
// non-empty, merged and non-touching (a.end_exclusive < b.start for consecutive a, b).
// Every function REQUIRES its list arguments to satisfy that invariant and keeps it.
// Internal to the gtid module; gtid_set applies them per (uuid, tag).

#include <cstdint>
#include <vector>

#include "gtid/gtid_set.h"

namespace binrelay::gtid::interval_list {

using list = std::vector<interval>;

// Adds [start, end_exclusive). REQUIRES start < end_exclusive.
void add(list& l, std::uint64_t start, std::uint64_t end_exclusive);
void unite(list& a, const list& b);
void subtract(list& a, const list& b);
void intersect(list& a, const list& b);
bool contains(const list& l, std::uint64_t gno);
bool is_subset(const list& a, const list& b);
// Saturates at UINT64_MAX.
std::uint64_t count(const list& l);
// True iff `l` satisfies the invariant with 1 <= start and end_exclusive <= max_gno + 1.
bool is_valid(const list& l);

}  // namespace binrelay::gtid::interval_list
