#pragma once
// Reading Prometheus endpoints in integration tests: binrelayd's --metrics-listen and
// prometheus-mysqld-exporter's, fetched with curl.

#include <cstdint>
#include <optional>
#include <string>

namespace binrelay::test {

// The body of GET http://127.0.0.1:<port><path>; throws when curl fails or the status is not
// 200.
std::string http_get(std::uint16_t port, const std::string& path = "/metrics");
// The HTTP status code of GET http://127.0.0.1:<port><path>.
int http_status(std::uint16_t port, const std::string& path);

// The value of the first sample whose name and labels start with `series` (e.g.
// "mysql_up" or "mysql_slave_status_slave_io_running{"); nullopt when absent.
std::optional<double> sample(const std::string& text, const std::string& series);

}  // namespace binrelay::test
