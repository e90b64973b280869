#include "admin/semi_sync_status.h"

namespace binrelay::admin {

std::map<std::string, std::string> semi_sync_status(const relay::upstream_snapshot& io) {
  std::string on = io.semi_sync ? "ON" : "OFF";
  return {{"Rpl_semi_sync_replica_status", on},
          {"Rpl_semi_sync_slave_status", on},
          {"Binrelay_semi_sync_acks", std::to_string(io.semi_sync_acks)}};
}

}  // namespace binrelay::admin
