#pragma once
// binrelayd replicating from MySQL sources (one or more --upstream, e.g. Group Replication
// members) with its admin port, for failover tests: start/stop it, read its SHOW REPLICA
// STATUS and SHOW REPLICA SOURCES, and the GTIDs of its relay log files. MySQL replicas may
// follow it at port() as mysql_serve_support.h's replication user (follow_mysql_relay).

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "integration/admin_client.h"
#include "support/processes.h"

namespace binrelay::test {

class failover_relay {
 public:
  // `upstreams`: --upstream values ("127.0.0.1:3307,60"); `extra_args` more flags
  // (--heartbeat-period-ms=500 unless they give one).
  failover_relay(std::vector<std::string> upstreams, std::vector<std::string> extra_args = {});

  // One more flag for the next start().
  void add_arg(std::string arg) { args_.push_back(std::move(arg)); }
  // Starts binrelayd (appending to its log) and waits for its admin port. REQUIRES: stopped.
  void start();
  int terminate() { return process_->terminate(); }
  std::string log() const { return process_ ? process_->log() : std::string(); }
  const std::filesystem::path& data_dir() const { return data_dir_; }
  std::uint16_t port() const { return admin_port_; }  // admin SQL and replicas

  std::map<std::string, std::string> status() const { return admin_.slave_status(); }
  std::string sql(const std::string& statements) const { return admin_.sql(statements); }
  // SHOW REPLICA SOURCES: one map per row, column -> value.
  std::vector<std::map<std::string, std::string>> sources() const;

  // The GTIDs of the relay log's transactions, in order ("uuid:N").
  std::vector<std::string> relay_gtids() const;
  // Waits until `pred(status())` holds; false on timeout.
  template <typename P>
  bool wait_status(P pred, std::chrono::milliseconds timeout) const;

 private:
  temp_dir dir_;
  std::filesystem::path data_dir_;
  std::uint16_t admin_port_;
  std::vector<std::string> args_;
  std::unique_ptr<child_process> process_;
  admin_client admin_;
};

template <typename P>
bool failover_relay::wait_status(P pred, std::chrono::milliseconds timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      if (pred(status())) return true;
    } catch (const std::exception&) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return false;
}

}  // namespace binrelay::test
