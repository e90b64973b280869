#include "admin/server_status.h"

#include "admin/statistics.h"

#include <unistd.h>

#include <chrono>
#include <map>

#include <fmt/format.h>

#include "admin/health_status.h"
#include "admin/replica_status.h"
#include "common/counters.h"
#include "protocol/server_result_set.h"

namespace binrelay::admin {
namespace {

std::string num(std::uint64_t v) {
  return std::to_string(v);
}

std::uint64_t threads_connected(const admin_state& state) {
  return process_counters::read(counters().admin_sessions) + state.replicas().size();
}

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "localhost";
  return name;
}

}  // namespace

std::map<std::string, std::string> global_status(const admin_state& state) {
  const auto& c = counters();
  relay::upstream_snapshot up = state.upstream();
  applier::applier_snapshot ap = state.applier();
  std::map<std::string, std::string> s = health_status(state.store().verification, up);
  std::uint64_t questions = process_counters::read(c.admin_queries);
  s["Uptime"] = std::to_string(c.uptime_seconds());
  s["Uptime_since_flush_status"] = s["Uptime"];
  s["Threads_connected"] = num(threads_connected(state));
  s["Threads_running"] = num(1 + ap.busy_workers);
  s["Questions"] = num(questions);
  s["Queries"] = num(questions);
  s["Com_select"] = "0";
  s["Bytes_received"] = num(process_counters::read(c.bytes_received));
  s["Bytes_sent"] = num(process_counters::read(c.bytes_sent));
  s["Slave_running"] =
      up.running == relay::io_running::yes && (!ap.configured || ap.running) ? "ON" : "OFF";
  s["Slaves_connected"] = num(state.replicas().size());
  s["Binrelay_events_received"] = num(process_counters::read(c.events_received));
  s["Binrelay_transactions_received"] = num(process_counters::read(c.transactions_received));
  s["Binrelay_events_sent"] = num(process_counters::read(c.events_sent));
  s["Binrelay_upstream_connects"] = num(up.connects);
  s["Binrelay_applier_transactions"] = num(ap.transactions_committed);
  s["Binrelay_applier_busy_workers"] = num(ap.busy_workers);
  s["Binrelay_relay_log_fsyncs"] = num(process_counters::read(c.fsync.count));
  std::uint64_t space = 0;
  for (const auto& f : state.store().files) space += f.size;
  s["Binrelay_relay_log_space"] = num(space);
  return s;
}

void add_monitoring_variables(std::map<std::string, std::string>& vars, const admin_state& state) {
  relay::store_snapshot store = state.store();
  applier::applier_snapshot ap = state.applier();
  const gtid::gtid_state& executed = ap.configured ? ap.executed : store.retrieved;
  vars["hostname"] = host_name();
  vars["report_host"] = "";
  vars["read_only"] = "ON";  // binrelayd accepts no writes
  vars["super_read_only"] = "ON";
  vars["log_slave_updates"] = "ON";  // what it relays it serves
  vars["log_replica_updates"] = "ON";
  vars["binlog_row_image"] = "FULL";
  vars["master_info_repository"] = "TABLE";
  vars["relay_log_info_repository"] = "TABLE";
  vars["gtid_executed"] = executed.to_string();
  if (!store.files.empty()) vars["gtid_purged"] = store.files.front().before.to_string();
  vars["gtid_slave_pos"] = executed.mariadb ? executed.to_string() : "";
  vars["gtid_binlog_state"] = store.retrieved.mariadb ? store.retrieved.to_string() : "";
  vars["slave_parallel_workers"] = "0";
  vars["uptime"] = std::to_string(counters().uptime_seconds());
  for (auto& [name, value] : state.server_variables()) vars[name] = value;
}

std::string statistics_line(const admin_state& state) {
  const auto& c = counters();
  return statistics_text(std::chrono::seconds(c.uptime_seconds()), threads_connected(state),
                         process_counters::read(c.admin_queries));
}

protocol::query_result processlist(const admin_state& state, const process_self& self) {
  using protocol::integer_column;
  using protocol::text_column;
  using row = protocol::text_row;
  std::map<std::uint32_t, row> rows;  // by id, as MySQL lists them
  relay::upstream_snapshot up = state.upstream();
  if (up.running != relay::io_running::no) {
    rows[io_thread_id] = {std::to_string(io_thread_id),
                          "system user",
                          "",
                          std::nullopt,
                          "Slave_IO",
                          "0",
                          up.state,
                          std::nullopt};
  }
  applier::applier_snapshot ap = state.applier();
  if (ap.configured && ap.running) {
    rows[sql_thread_id] = {std::to_string(sql_thread_id),
                           "system user",
                           "",
                           std::nullopt,
                           "Slave_SQL",
                           "0",
                           ap.state,
                           std::nullopt};
  }
  for (const auto& r : state.replicas()) {
    std::string lag = r.lag_seconds >= 0 ? std::to_string(r.lag_seconds) : "0";
    rows[r.connection_id] = {std::to_string(r.connection_id),
                             "replica",
                             fmt::format("{}:{}", r.host, r.port),
                             std::nullopt,
                             "Binlog Dump GTID",
                             lag,
                             "Master has sent all binlog to slave; waiting for more updates",
                             std::nullopt};
  }
  if (const auto* sessions = state.sessions()) {
    auto now = std::chrono::steady_clock::now();
    for (const auto& a : sessions->snapshot()) {
      auto idle = std::chrono::duration_cast<std::chrono::seconds>(now - a.last_command);
      rows[a.id] = {std::to_string(a.id),         a.user, a.host,      std::nullopt, "Sleep",
                    std::to_string(idle.count()), "",     std::nullopt};
    }
  }
  rows[self.id] = {
      std::to_string(self.id), self.user, self.host, std::nullopt, "Query", "0", "init", self.info};
  protocol::result_set rs({integer_column("Id", true), text_column("User"), text_column("Host"),
                           text_column("db"), text_column("Command"), integer_column("Time"),
                           text_column("State"), text_column("Info")});
  for (auto& entry : rows) rs.add_row(std::move(entry.second));
  return rs.release();
}

}  // namespace binrelay::admin
