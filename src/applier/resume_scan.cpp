#include "applier/resume_scan.h"

#include <algorithm>

namespace binrelay::applier {

result<std::vector<gtid::mariadb_gtid>> parse_binlog_state(std::string_view text) {
  std::vector<gtid::mariadb_gtid> out;
  while (!text.empty()) {
    auto comma = text.find(',');
    auto g = gtid::mariadb_gtid::parse(text.substr(0, comma));
    if (!g) return std::move(g).error();
    out.push_back(*g);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
  }
  return out;
}

result<committed_run> committed_after(const relay_log& log, const binlog::log_position& start,
                                      const std::vector<gtid::mariadb_gtid>& state,
                                      std::size_t window) {
  committed_run out;
  if (state.empty()) return out;
  auto cursor = log.open(start);
  for (std::size_t i = 0; i < window; ++i) {
    auto txn = cursor->next();
    if (!txn) return std::move(txn).error();
    if (!*txn) break;
    const auto& g = (*txn)->gtid;
    if (!g || !g->mariadb) continue;
    if (std::find(state.begin(), state.end(), g->mariadb_gtid) != state.end()) {
      out.transactions = i + 1;
      out.last_gtid = g->mariadb_gtid.to_string();
    }
  }
  return out;
}

}  // namespace binrelay::applier
