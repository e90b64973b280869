#include "admin/health_status.h"

#include <fmt/format.h>

namespace binrelay::admin {

std::map<std::string, std::string> health_status(const relay::store_verification& store,
                                                 const relay::upstream_snapshot& io) {
  std::map<std::string, std::string> s;
  s["Binrelay_relay_log_damaged_ranges"] = std::to_string(store.damaged.size());
  s["Binrelay_relay_log_first_damage"] =
      store.damaged.empty() ? ""
                            : fmt::format("{} at {}: {}", store.damaged[0].file,
                                          store.damaged[0].event_offset, store.damaged[0].what);
  s["Binrelay_relay_log_duplicate_gtids"] = std::to_string(store.duplicate_gtids);
  s["Binrelay_relay_log_first_duplicate"] =
      store.first_duplicate
          ? fmt::format("{} in {} at {}", store.first_duplicate->gtid, store.first_duplicate->file,
                        store.first_duplicate->offset)
          : "";
  s["Binrelay_relay_log_gtid_mismatches"] = std::to_string(store.gtid_mismatches.size());
  s["Binrelay_io_retries"] = std::to_string(io.retries);
  s["Binrelay_io_retry_delay_ms"] = std::to_string(io.retry_delay_ms);
  return s;
}

}  // namespace binrelay::admin
