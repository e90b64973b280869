#include "admin/metrics_text.h"

#include <fmt/format.h>

#include "admin/replica_status.h"
#include "common/counters.h"

namespace binrelay::admin {
namespace {

// Prometheus label value escaping: backslash, double quote, newline.
std::string label(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

class writer {
 public:
  // One metric family: HELP and TYPE lines.
  void family(std::string_view name, std::string_view type, std::string_view help) {
    out_ += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
  }
  void sample(std::string_view name, std::string_view labels, double value) {
    if (labels.empty()) {
      out_ += fmt::format("{} {}\n", name, value);
    } else {
      out_ += fmt::format("{}{{{}}} {}\n", name, labels, value);
    }
  }
  void one(std::string_view name, std::string_view type, std::string_view help,
           std::string_view labels, double value) {
    family(name, type, help);
    sample(name, labels, value);
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

// mysql_slave_status_*: as prometheus-mysqld-exporter derives them from SHOW SLAVE STATUS.
void slave_status(writer& w, const replica_status_inputs& in) {
  std::string labels =
      fmt::format("channel_name=\"\",connection_name=\"\",master_host=\"{}\",master_uuid=\"{}\"",
                  label(in.source.host), label(in.upstream.source_uuid));
  auto gauge = [&](std::string_view column, double v) {
    w.one(fmt::format("mysql_slave_status_{}", column), "gauge",
          fmt::format("Generic metric from SHOW SLAVE STATUS ({}).", column), labels, v);
  };
  const auto& a = in.applier;
  if (auto sbm = seconds_behind_source(in)) gauge("seconds_behind_master", double(*sbm));
  gauge("slave_io_running", in.upstream.running == relay::io_running::yes ? 1 : 0);
  gauge("slave_sql_running", a.running ? 1 : 0);
  gauge("read_master_log_pos", double(in.store.upstream.position));
  gauge("exec_master_log_pos",
        double(a.configured ? a.exec_source_log_pos : in.store.upstream.position));
  gauge("relay_log_pos", double(a.configured ? a.relay_log_pos : in.store.end.offset));
  std::uint64_t space = 0;
  for (const auto& f : in.store.files) space += f.size;
  gauge("relay_log_space", double(space));
  gauge("last_errno", a.last_sql_errno);
  gauge("last_io_errno", in.upstream.last_io_errno);
  gauge("last_sql_errno", a.last_sql_errno);
  gauge("master_server_id", in.upstream.source_server_id);
  gauge("skip_counter", 0);
  gauge("sql_delay", 0);
  gauge("connect_retry", in.source.connect_retry_s);
}

void upstream_and_serving(writer& w, const admin_state& state, const relay::upstream_snapshot& up) {
  const auto& c = counters();
  auto counter = [&](std::string_view name, std::string_view help, std::uint64_t v) {
    w.one(name, "counter", help, "", double(v));
  };
  counter("binrelay_upstream_bytes_received_total", "Binlog event bytes received from the source.",
          process_counters::read(c.bytes_received));
  counter("binrelay_upstream_events_received_total", "Binlog events received from the source.",
          process_counters::read(c.events_received));
  counter("binrelay_upstream_transactions_received_total",
          "Transactions (GTID events) received from the source.",
          process_counters::read(c.transactions_received));
  counter("binrelay_upstream_connects_total", "Successful connections to the source.", up.connects);
  w.one("binrelay_upstream_retries", "gauge",
        "Failed IO thread attempts since the last that made progress.", "", up.retries);
  counter("binrelay_serve_bytes_sent_total", "Binlog event bytes sent to replicas.",
          process_counters::read(c.bytes_sent));
  counter("binrelay_serve_events_sent_total", "Binlog events sent to replicas.",
          process_counters::read(c.events_sent));
  auto replicas = state.replicas();
  w.one("binrelay_replicas_connected", "gauge", "Replicas streaming from binrelayd.", "",
        double(replicas.size()));
  w.family("binrelay_replica_position_bytes", "gauge",
           "Offset in the relay log file a replica was sent up to.");
  for (const auto& r : replicas) {
    w.sample("binrelay_replica_position_bytes",
             fmt::format("server_id=\"{}\",host=\"{}\",file=\"{}\"", r.server_id, label(r.host),
                         label(r.file)),
             double(r.position));
  }
  w.family("binrelay_replica_lag_seconds", "gauge",
           "Seconds the newest event sent to a replica is older than the relay log's newest.");
  for (const auto& r : replicas) {
    if (r.lag_seconds < 0) continue;
    w.sample("binrelay_replica_lag_seconds",
             fmt::format("server_id=\"{}\",host=\"{}\"", r.server_id, label(r.host)),
             double(r.lag_seconds));
  }
}

void applier_and_store(writer& w, const replica_status_inputs& in) {
  const auto& a = in.applier;
  w.one("binrelay_applier_transactions_total", "counter",
        "Transactions the applier committed on the downstream.", "",
        double(a.transactions_committed));
  w.one("binrelay_applier_busy_workers", "gauge", "Applier workers applying a transaction now.", "",
        a.busy_workers);
  std::uint64_t space = 0;
  for (const auto& f : in.store.files) space += f.size;
  w.one("binrelay_relay_log_space_bytes", "gauge", "Bytes of all relay log files.", "",
        double(space));
  w.one("binrelay_relay_log_files", "gauge", "Relay log files.", "", double(in.store.files.size()));
  const auto& h = counters().fsync;
  w.family("binrelay_relay_log_fsync_seconds", "histogram",
           "Duration of the relay log's fdatasync calls.");
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < h.buckets.size(); ++i) {
    cumulative += process_counters::read(h.buckets[i]);
    std::string le = i < fsync_bucket_bounds_s.size() ? fmt::format("{}", fsync_bucket_bounds_s[i])
                                                      : std::string("+Inf");
    w.sample("binrelay_relay_log_fsync_seconds_bucket", fmt::format("le=\"{}\"", le),
             double(cumulative));
  }
  w.sample("binrelay_relay_log_fsync_seconds_sum", "",
           double(process_counters::read(h.sum_ns)) / 1e9);
  w.sample("binrelay_relay_log_fsync_seconds_count", "", double(process_counters::read(h.count)));
}

}  // namespace

std::string metrics_text(const admin_state& state, std::int64_t now_unix) {
  writer w;
  replica_status_inputs in = collect_replica_status(state, now_unix);
  slave_status(w, in);
  upstream_and_serving(w, state, in.upstream);
  applier_and_store(w, in);
  w.one("binrelay_admin_sessions", "gauge", "Open admin port sessions.", "",
        double(process_counters::read(counters().admin_sessions)));
  w.one("binrelay_uptime_seconds", "counter", "Seconds since binrelayd started.", "",
        double(counters().uptime_seconds()));
  return w.take();
}

}  // namespace binrelay::admin
