#include "admin/replica_status.h"

#include <algorithm>
#include <ctime>
#include <optional>

#include <fmt/format.h>

#include "admin/status_row.h"
#include "protocol/server_result_set.h"

namespace binrelay::admin {
namespace {

using sql::wording;

std::string yes_no(bool b) {
  return b ? "Yes" : "No";
}

std::string io_running_text(relay::io_running r) {
  switch (r) {
    case relay::io_running::yes:
      return "Yes";
    case relay::io_running::connecting:
      return "Connecting";
    default:
      return "No";
  }
}

std::uint64_t relay_log_space(const relay::store_snapshot& store) {
  std::uint64_t total = 0;
  for (const auto& f : store.files) total += f.size;
  return total;
}

// The source file and position of the last applied transaction. The relay log keeps our own
// positions, so the applier knows the source's only when it says so, or when it has applied
// everything retrieved (then it is the receiver's); else unknown ("" and 0).
relay::upstream_position exec_source_position(const replica_status_inputs& in) {
  const auto& a = in.applier;
  if (!a.configured) return in.store.upstream;
  if (!a.source_log_file.empty()) return {a.source_log_file, a.exec_source_log_pos};
  if (a.executed == in.store.retrieved) return in.store.upstream;
  return {};
}

// Columns 1-12: receiver and positions. Without an applier everything stored counts as
// applied (Relay_Log_* = the store's end, Exec = the source position read).
void add_positions(row_builder& b, const replica_status_inputs& in) {
  const auto& a = in.applier;
  b.text("Slave_IO_State", in.upstream.state);
  b.text("Master_Host", in.source.host);
  b.text("Master_User", in.source.user);
  b.number("Master_Port", in.source.port);
  b.number("Connect_Retry", in.source.connect_retry_s);
  b.text("Master_Log_File", in.store.upstream.file);
  b.number("Read_Master_Log_Pos", static_cast<std::int64_t>(in.store.upstream.position));
  b.text("Relay_Log_File", a.configured ? a.relay_log_file : in.store.end.file);
  b.number("Relay_Log_Pos",
           static_cast<std::int64_t>(a.configured ? a.relay_log_pos : in.store.end.offset));
  b.text("Relay_Master_Log_File", exec_source_position(in).file);
  b.text("Slave_IO_Running", io_running_text(in.upstream.running));
  b.text("Slave_SQL_Running", yes_no(a.running));
}

// Columns 13-26: filters (none), SQL error, exec position, space, until (none).
void add_filters_and_exec(row_builder& b, const replica_status_inputs& in) {
  const auto& a = in.applier;
  for (auto name :
       {"Replicate_Do_DB", "Replicate_Ignore_DB", "Replicate_Do_Table", "Replicate_Ignore_Table",
        "Replicate_Wild_Do_Table", "Replicate_Wild_Ignore_Table"}) {
    b.text(name, "");
  }
  b.number("Last_Errno", a.last_sql_errno);
  b.text("Last_Error", a.last_sql_error);
  b.number("Skip_Counter", 0);
  b.number("Exec_Master_Log_Pos", static_cast<std::int64_t>(exec_source_position(in).position));
  b.number("Relay_Log_Space", static_cast<std::int64_t>(relay_log_space(in.store)));
  b.text("Until_Condition", "None");
  b.text("Until_Log_File", "");
  b.number("Until_Log_Pos", 0);
}

// Columns 27-34: TLS to the source, and the lag.
void add_ssl(row_builder& b, const replica_status_inputs& in) {
  const auto& tls = in.source.tls;
  b.text("Master_SSL_Allowed", yes_no(tls.mode != protocol::tls_mode::disabled));
  b.text("Master_SSL_CA_File", tls.ca_file);
  b.text("Master_SSL_CA_Path", "");
  b.text("Master_SSL_Cert", tls.cert_file);
  b.text("Master_SSL_Cipher", "");
  b.text("Master_SSL_Key", tls.key_file);
  b.number("Seconds_Behind_Master", seconds_behind_source(in));
  b.text("Master_SSL_Verify_Server_Cert", yes_no(tls.verify_server_cert));
}

// Columns 35-40 (both flavours): errors, source server id.
void add_errors(row_builder& b, const replica_status_inputs& in) {
  const auto& a = in.applier;
  b.number("Last_IO_Errno", in.upstream.last_io_errno);
  b.text("Last_IO_Error", in.upstream.last_io_error);
  b.number("Last_SQL_Errno", a.last_sql_errno);
  b.text("Last_SQL_Error", a.last_sql_error);
  b.text("Replicate_Ignore_Server_Ids", "");
  b.number("Master_Server_Id", in.upstream.source_server_id);
}

// MySQL's columns 41-49: source identity, delays, states, timestamps.
void add_mysql_source(row_builder& b, const replica_status_inputs& in) {
  const auto& a = in.applier;
  b.text("Master_UUID", in.upstream.source_uuid);
  b.text("Master_Info_File", in.info_file);
  b.number("SQL_Delay", 0);
  b.number("SQL_Remaining_Delay", std::nullopt);
  b.text("Slave_SQL_Running_State", sql_running_state(in));
  b.number("Master_Retry_Count", 86400);
  b.text("Master_Bind", "");
  b.text("Last_IO_Error_Timestamp", error_timestamp(in.upstream.last_io_error_unix));
  b.text("Last_SQL_Error_Timestamp", error_timestamp(a.last_sql_error_unix));
}

std::string executed_text(const replica_status_inputs& in) {
  return in.applier.configured ? in.applier.executed.to_string() : in.store.retrieved.to_string();
}

// MariaDB 10.11's columns 41-54 (sql/slave.cc show_master_info): CRL, GTIDs, domain filters,
// parallel mode, delay, SQL state, group counters, rewrite rules.
void add_mariadb_tail(row_builder& b, const replica_status_inputs& in) {
  b.text("Master_SSL_Crl", "");
  b.text("Master_SSL_Crlpath", "");
  b.text("Using_Gtid", in.source.auto_position ? "Slave_Pos" : "No");
  b.text("Gtid_IO_Pos", in.store.retrieved.to_string());
  b.text("Replicate_Do_Domain_Ids", "");
  b.text("Replicate_Ignore_Domain_Ids", "");
  b.text("Parallel_Mode", "conservative");
  b.number("SQL_Delay", 0);
  b.number("SQL_Remaining_Delay", std::nullopt);
  b.text("Slave_SQL_Running_State", sql_running_state(in));
  b.number("Slave_DDL_Groups", 0);
  b.number("Slave_Non_Transactional_Groups", 0);
  b.number("Slave_Transactional_Groups",
           static_cast<std::int64_t>(in.applier.transactions_committed));
  b.text("Replicate_Rewrite_DB", "");
}

// SHOW ALL SLAVES STATUS's columns after Replicate_Rewrite_DB.
void add_mariadb_all_tail(row_builder& b, const replica_status_inputs& in) {
  b.number("Retried_transactions", 0);
  b.number("Max_relay_log_size", static_cast<std::int64_t>(in.max_relay_log_size));
  b.number("Executed_log_entries", static_cast<std::int64_t>(in.applier.transactions_committed));
  b.number("Slave_received_heartbeats", 0);
  b.text("Slave_heartbeat_period", fmt::format("{:.3f}", in.heartbeat_period_s));
  b.text("Gtid_Slave_Pos", executed_text(in));
}

// Columns 50-60: CRL, GTIDs, channel, TLS version, public key, namespace.
void add_gtids(row_builder& b, const replica_status_inputs& in) {
  b.text("Master_SSL_Crl", "");
  b.text("Master_SSL_Crlpath", "");
  b.text("Retrieved_Gtid_Set", in.store.retrieved.to_string());
  b.text("Executed_Gtid_Set", executed_text(in));
  b.number("Auto_Position", in.source.auto_position ? 1 : 0);
  b.text("Replicate_Rewrite_DB", "");
  b.text("Channel_Name", "");
  b.text("Master_TLS_Version", "");
  b.text("Master_public_key_path", "");
  b.number("Get_master_public_key", 0);
  b.text("Network_Namespace", "");
}

}  // namespace

replica_status_inputs collect_replica_status(const admin_state& state, std::int64_t now_unix) {
  replica_status_inputs in;
  in.upstream = state.upstream();
  in.applier = state.applier();
  in.store = state.store();
  in.source = state.source();
  if (in.upstream.running != relay::io_running::no && !in.upstream.host.empty()) {
    in.source.host = in.upstream.host;  // the source in use, which failover may have changed
    in.source.port = in.upstream.port;
  }
  in.info_file = (state.relay_directory() / "source.conf").string();
  in.now_unix = now_unix;
  return in;
}

bool applier_caught_up(const replica_status_inputs& in) {
  const auto& a = in.applier;
  if (!a.caught_up) return false;
  const gtid::gtid_state& retrieved = in.store.retrieved;
  if (retrieved.mariadb) return a.executed.position.includes(retrieved.position);
  return retrieved.mysql.is_subset_of(a.executed.mysql);
}

std::optional<std::int64_t> seconds_behind_source(const replica_status_inputs& in) {
  const auto& up = in.upstream;
  if (up.running != relay::io_running::yes) return std::nullopt;
  if (in.applier.configured) {
    const auto& a = in.applier;
    if (!a.running) return std::nullopt;
    if (applier_caught_up(in)) return 0;
    std::int64_t ts =
        a.applying_event_unix != 0 ? a.applying_event_unix : a.last_applied_event_unix;
    if (ts == 0) return 0;  // nothing read from the relay log yet
    return std::max<std::int64_t>(0, in.now_unix - ts - up.clock_diff_seconds);
  }
  if (up.caught_up || up.last_event_unix == 0) return 0;
  return std::max<std::int64_t>(0, in.now_unix - up.last_event_unix - up.clock_diff_seconds);
}

std::string sql_running_state(const replica_status_inputs& in) {
  const auto& a = in.applier;
  if (!a.configured || !a.running) return a.state;
  if (a.caught_up && !applier_caught_up(in)) return "Reading event from the relay log";
  return a.state;
}

std::string error_timestamp(std::int64_t unix_seconds) {
  if (unix_seconds == 0) return "";
  std::time_t t = unix_seconds;
  std::tm tm{};
  localtime_r(&t, &tm);
  return fmt::format("{:02}{:02}{:02} {:02}:{:02}:{:02}", tm.tm_year % 100, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

protocol::query_result replica_status_result(const replica_status_inputs& in, wording words) {
  row_builder b(words);
  add_positions(b, in);
  add_filters_and_exec(b, in);
  add_ssl(b, in);
  add_errors(b, in);
  add_mysql_source(b, in);
  add_gtids(b, in);
  return b.finish();
}

protocol::query_result mariadb_replica_status_result(const replica_status_inputs& in,
                                                     bool all_slaves) {
  row_builder b(wording::legacy);  // MariaDB keeps Slave_/Master_ for SHOW REPLICA STATUS too
  if (all_slaves) {
    b.text("Connection_name", "");
    b.text("Slave_SQL_State", sql_running_state(in));
  }
  add_positions(b, in);
  add_filters_and_exec(b, in);
  add_ssl(b, in);
  add_errors(b, in);
  add_mariadb_tail(b, in);
  if (all_slaves) add_mariadb_all_tail(b, in);
  return b.finish();
}

}  // namespace binrelay::admin
