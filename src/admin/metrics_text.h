#pragma once
// metrics_text: binrelayd's state in the Prometheus text exposition format (version 0.0.4),
// what --metrics-listen serves at /metrics (docs/metrics.md lists every metric): the
// mysql_slave_status_* names prometheus-mysqld-exporter users already chart, computed as SHOW
// SLAVE STATUS computes them, and binrelay_* counters and gauges of ingest, serving, the
// applier and the relay store. Sans-I/O.

#include <cstdint>
#include <string>

#include "admin/state.h"

namespace binrelay::admin {

// REQUIRES: called on the executor admin_state requires.
std::string metrics_text(const admin_state& state, std::int64_t now_unix);

}  // namespace binrelay::admin
