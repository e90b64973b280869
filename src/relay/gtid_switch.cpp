#include "relay/gtid_switch.h"

#include <cassert>

#include <fmt/format.h>

namespace binrelay::relay {
namespace {

// MySQL prints sets over several lines; log lines and status fields want one.
std::string one_line(std::string text) {
  std::erase(text, '\n');
  return text;
}

gtid_comparison compare_mysql(const gtid::gtid_set& held, const gtid::gtid_set& candidate) {
  gtid_comparison c;
  gtid::gtid_set missing = held;
  missing.subtract(candidate);
  c.missing = one_line(missing.to_string());
  gtid::gtid_set extra = candidate;
  extra.subtract(held);
  gtid::gtid_set unknown;
  for (const auto& e : extra.entries()) {
    if (held.find(e.sid, e.tag) != nullptr) continue;
    for (const auto& i : e.intervals) unknown.add_interval(e.sid, e.tag, i.start, i.end_exclusive);
  }
  c.extra = one_line(unknown.to_string());
  return c;
}

// A domain the candidate lacks or is behind in: "D-S-N" of ours, what it has.
gtid_comparison compare_mariadb(const gtid::mariadb_gtid_position& held,
                                const gtid::mariadb_gtid_position& candidate) {
  gtid_comparison c;
  for (const auto& g : held.gtids()) {
    const gtid::mariadb_gtid* have = candidate.get(g.domain_id);
    if (have != nullptr && have->seq_no >= g.seq_no) continue;
    if (!c.missing.empty()) c.missing += ",";
    c.missing += have == nullptr ? fmt::format("{} (domain {} absent)", g.to_string(), g.domain_id)
                                 : fmt::format("{} (it has {})", g.to_string(), have->to_string());
  }
  for (const auto& g : candidate.gtids()) {
    if (held.get(g.domain_id) != nullptr) continue;
    if (!c.extra.empty()) c.extra += ",";
    c.extra += g.to_string();
  }
  return c;
}

}  // namespace

gtid_comparison compare_for_switch(const gtid::gtid_state& held,
                                   const gtid::gtid_state& candidate) {
  assert(held.mariadb == candidate.mariadb);
  return held.mariadb ? compare_mariadb(held.position, candidate.position)
                      : compare_mysql(held.mysql, candidate.mysql);
}

}  // namespace binrelay::relay
