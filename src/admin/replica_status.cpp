#include "admin/replica_status.h"

#include <algorithm>
#include <ctime>
#include <optional>

#include <fmt/format.h>

#include "protocol/server_result_set.h"

namespace binrelay::admin {
namespace {

using protocol::column_definition;
using sql::wording;

// SLAVE/MASTER words of a legacy column name in the post-8.0.22 wording.
std::string modern_name(std::string_view legacy) {
  std::string s(legacy);
  auto replace = [&s](std::string_view from, std::string_view to) {
    for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
      s.replace(at, from.size(), to);
    }
  };
  replace("Slave", "Replica");
  replace("Master", "Source");
  replace("master", "Source");
  return s;
}

class row_builder {
 public:
  explicit row_builder(wording words) : words_(words) {}
  void text(std::string_view legacy, std::optional<std::string> value) {
    columns_.push_back(protocol::text_column(name(legacy)));
    row_.push_back(std::move(value));
  }
  void number(std::string_view legacy, std::optional<std::int64_t> value) {
    columns_.push_back(protocol::integer_column(name(legacy)));
    row_.push_back(value ? std::optional<std::string>(std::to_string(*value)) : std::nullopt);
  }
  protocol::query_result finish() {
    protocol::result_set rs(std::move(columns_));
    rs.add_row(std::move(row_));
    return rs.release();
  }

 private:
  std::string name(std::string_view legacy) const {
    return words_ == wording::legacy ? std::string(legacy) : modern_name(legacy);
  }
  wording words_;
  std::vector<column_definition> columns_;
  protocol::text_row row_;
};

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

// Columns 35-49: errors, source identity, delays, states, timestamps.
void add_errors_and_source(row_builder& b, const replica_status_inputs& in) {
  const auto& a = in.applier;
  b.number("Last_IO_Errno", in.upstream.last_io_errno);
  b.text("Last_IO_Error", in.upstream.last_io_error);
  b.number("Last_SQL_Errno", a.last_sql_errno);
  b.text("Last_SQL_Error", a.last_sql_error);
  b.text("Replicate_Ignore_Server_Ids", "");
  b.number("Master_Server_Id", in.upstream.source_server_id);
  b.text("Master_UUID", in.upstream.source_uuid);
  b.text("Master_Info_File", in.info_file);
  b.number("SQL_Delay", 0);
  b.number("SQL_Remaining_Delay", std::nullopt);
  b.text("Slave_SQL_Running_State", a.state);
  b.number("Master_Retry_Count", 86400);
  b.text("Master_Bind", "");
  b.text("Last_IO_Error_Timestamp", error_timestamp(in.upstream.last_io_error_unix));
  b.text("Last_SQL_Error_Timestamp", error_timestamp(a.last_sql_error_unix));
}

// Columns 50-60: CRL, GTIDs, channel, TLS version, public key, namespace.
void add_gtids(row_builder& b, const replica_status_inputs& in) {
  b.text("Master_SSL_Crl", "");
  b.text("Master_SSL_Crlpath", "");
  b.text("Retrieved_Gtid_Set", in.store.retrieved.to_string());
  b.text("Executed_Gtid_Set",
         in.applier.configured ? in.applier.executed.to_string() : in.store.retrieved.to_string());
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

std::optional<std::int64_t> seconds_behind_source(const replica_status_inputs& in) {
  const auto& up = in.upstream;
  if (in.applier.configured) {
    const auto& a = in.applier;
    if (!a.running) return std::nullopt;
    if (a.caught_up) {
      return up.running == relay::io_running::yes ? std::optional<std::int64_t>(0) : std::nullopt;
    }
    if (a.last_applied_event_unix == 0) return 0;
    return std::max<std::int64_t>(0,
                                  in.now_unix - a.last_applied_event_unix - up.clock_diff_seconds);
  }
  if (up.running != relay::io_running::yes) return std::nullopt;
  if (up.caught_up || up.last_event_unix == 0) return 0;
  return std::max<std::int64_t>(0, in.now_unix - up.last_event_unix - up.clock_diff_seconds);
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
  add_errors_and_source(b, in);
  add_gtids(b, in);
  return b.finish();
}

}  // namespace binrelay::admin
