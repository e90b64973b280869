#pragma once
// metrics_server: binrelayd's Prometheus endpoint (--metrics-listen HOST:PORT): GET /metrics
// answers admin::metrics_text (docs/metrics.md), anything else 404. Boost.Beast HTTP/1.1 on
// its own thread and io_context, so a slow scraper never delays replication; each request reads
// the daemon's state on the daemon's main executor, where admin_state lives.
//
// Fault isolation: a failing connection ends alone; a listener that cannot bind or fails is
// logged and the rest of binrelayd goes on without metrics.
//
// Threading: construct, start() and stop() on one thread (binrelayd's main thread); `state`
// and the main executor must outlive stop().

#include <cstdint>
#include <string>
#include <thread>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>

#include "admin/state.h"
#include "common/result.h"

namespace binrelay::daemon {

struct metrics_endpoint {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: any free port
};

// "HOST:PORT" or ":PORT" (all addresses as 0.0.0.0). Errors: invalid_argument naming the text.
result<metrics_endpoint> parse_metrics_endpoint(const std::string& text);

class metrics_server {
 public:
  metrics_server(metrics_endpoint endpoint, boost::asio::any_io_executor main,
                 const admin::admin_state& state);
  ~metrics_server();
  metrics_server(const metrics_server&) = delete;
  metrics_server& operator=(const metrics_server&) = delete;

  // Binds and starts the thread. A failure to bind is logged and returned; binrelayd goes on.
  result<void> start();
  // Closes the listener and every connection, joins the thread.
  void stop();
  // The bound port (after start()).
  std::uint16_t port() const { return bound_port_; }

 private:
  metrics_endpoint endpoint_;
  boost::asio::any_io_executor main_;
  const admin::admin_state& state_;
  boost::asio::io_context io_;
  std::thread thread_;
  std::uint16_t bound_port_ = 0;
};

}  // namespace binrelay::daemon
