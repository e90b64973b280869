#include "relay/replica_queries.h"

#include <algorithm>
#include <cctype>
#include <ctime>

#include <fmt/format.h>

#include "protocol/server_context.h"
#include "protocol/server_errors.h"
#include "protocol/server_result_set.h"
#include "relay/file_header.h"
#include "sql/constant_eval.h"
#include "sql/like.h"
#include "sql/parser.h"
#include "sql/privilege.h"

namespace binrelay::relay {
namespace {

using value_or_err = std::variant<std::optional<std::string>, protocol::err_packet>;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// SELECT @@x shows a boolean variable as 1/0 where SHOW VARIABLES shows ON/OFF (exporters read
// SELECT @@log_bin as a number).
std::string selected_value(const std::string& name, const std::string& value) {
  static constexpr std::string_view booleans[] = {"log_bin", "read_only", "super_read_only",
                                                  "log_slave_updates", "log_replica_updates"};
  if (std::find(std::begin(booleans), std::end(booleans), lower(name)) == std::end(booleans))
    return value;
  return value == "ON" ? "1" : value == "OFF" ? "0" : value;
}

}  // namespace

newest_format read_newest_format(const std::filesystem::path& dir,
                                 const std::vector<file_info>& files) {
  newest_format f;
  if (files.empty()) return f;
  auto header = read_file_header(dir / files.back().name);
  if (!header) return f;
  f.checksum = header->fde.checksum == binlog::checksum_alg::crc32 ? "CRC32" : "NONE";
  f.server_version = header->fde.server_version;
  return f;
}

std::map<std::string, std::string> server_variables(const variable_inputs& in) {
  std::string mariadb_pos = in.retrieved.mariadb ? in.retrieved.position.to_string() : "";
  return {
      {"binlog_checksum", in.checksum},
      {"binlog_format", "ROW"},
      {"character_set_client", "utf8mb4"},  // the greeting's charset 45: utf8mb4_general_ci
      {"character_set_connection", "utf8mb4"},
      {"character_set_database", "utf8mb4"},
      {"character_set_results", "utf8mb4"},
      {"character_set_server", "utf8mb4"},
      {"collation_connection", "utf8mb4_general_ci"},
      {"collation_server", "utf8mb4_general_ci"},
      {"enforce_gtid_consistency", "ON"},
      {"gtid_binlog_pos", mariadb_pos},
      {"gtid_current_pos", mariadb_pos},
      {"gtid_domain_id", "0"},
      {"gtid_executed", in.executed.mariadb ? "" : in.executed.mysql.to_string()},
      {"gtid_mode", "ON"},
      {"gtid_purged", in.purged.mariadb ? "" : in.purged.mysql.to_string()},
      {"log_bin", "ON"},
      {"server_id", std::to_string(in.identity.server_id)},
      {"server_uuid", in.identity.server_uuid},
      {"version", in.identity.version},
      {"version_comment", in.identity.version_comment},
  };
}

// The serving port names mysql_native_password in its greeting while this is announced.
static_assert(protocol::placeholder_version == default_served_version);

std::string served_version(const serve_identity& identity, const newest_format& format,
                           bool for_greeting) {
  std::string v = identity.version;
  if (v.empty() && identity.upstream_version) v = identity.upstream_version();
  if (v.empty()) v = format.server_version;
  if (v.empty()) v = default_served_version;
  bool mariadb = v.find("MariaDB") != std::string::npos && v.rfind("5.", 0) != 0;
  return for_greeting && mariadb ? "5.5.5-" + v : v;
}

std::string served_version(const relay_store& store, const serve_identity& identity,
                           bool for_greeting) {
  newest_format format;  // the file is read only when no version is configured or known
  bool known = !identity.version.empty() ||
               (identity.upstream_version && !identity.upstream_version().empty());
  if (!known) {
    format = read_newest_format(store.options().directory, store.files());
  }
  return served_version(identity, format, for_greeting);
}

replica_queries::replica_queries(const relay_store& store, serve_identity identity)
    : replica_queries(
          [&store, identity] {
            auto format = read_newest_format(store.options().directory, store.files());
            serve_identity served = identity;
            served.version = served_version(identity, format);
            variable_inputs in{served, store.retrieved(), store.retrieved(), {}, format.checksum};
            return server_variables(in);
          },
          identity) {}

replica_queries::replica_queries(variables_fn variables, serve_identity identity)
    : variables_(std::move(variables)), identity_(std::move(identity)) {}

std::optional<std::string> replica_queries::user_variable(const std::string& name) const {
  auto it = user_vars_.find(lower(name));
  return it == user_vars_.end() ? std::nullopt : it->second;
}

std::map<std::string, std::string> replica_queries::variables() const {
  return variables_();
}

std::optional<std::string> replica_queries::system_variable(const std::string& name) const {
  auto all = variables();
  auto it = all.find(lower(name));
  if (it == all.end()) return std::nullopt;
  return it->second;
}

value_or_err replica_queries::evaluate(const sql::expression& e) {
  using kind = sql::expression::kind;
  switch (e.type) {
    case kind::string:
    case kind::number:
    case kind::identifier:
      return std::optional<std::string>(e.text);
    case kind::null:
      return std::optional<std::string>();
    case kind::user_variable:
      return user_variable(e.text);
    case kind::system_variable: {
      auto v = system_variable(e.text);
      if (!v) {
        return protocol::make_err_packet(protocol::er::unknown_system_variable,
                                         fmt::format("Unknown system variable '{}'", e.text));
      }
      return std::optional<std::string>(selected_value(e.text, *v));
    }
    case kind::function_call:
      if (e.text == "UNIX_TIMESTAMP" && e.args.empty()) {
        return std::optional<std::string>(std::to_string(std::time(nullptr)));
      }
      if (e.text == "DATABASE" || e.text == "SCHEMA") return std::optional<std::string>();
      if (e.text == "VERSION") return system_variable("version");
      if (e.text == "USER" || e.text == "SESSION_USER" || e.text == "SYSTEM_USER") {
        return std::optional<std::string>(session_.user + "@" + session_.host);
      }
      if (e.text == "CURRENT_USER") return std::optional<std::string>(session_.user + "@%");
      if (e.text == "IFNULL" || e.text == "COALESCE") return first_not_null(e.args);
      break;
    case kind::binary:
      if (e.text == "=" || e.text == "<>" || e.text == "!=") return compare(e);
      [[fallthrough]];
    case kind::unary: {
      auto v = sql::evaluate_arithmetic(e);
      if (v) return *v;
      if (v.error().server_errno != 0) return protocol::to_err_packet(v.error());
      break;
    }
    default:
      break;
  }
  return protocol::not_supported_yet(sql::to_string(e));
}

// IFNULL(a, b), COALESCE(a, ...): the first argument that is not NULL (orchestrator reads
// IFNULL(@@global.report_host, '')).
value_or_err replica_queries::first_not_null(const std::vector<sql::expression>& args) {
  for (const auto& a : args) {
    auto v = evaluate(a);
    if (std::holds_alternative<protocol::err_packet>(v)) return v;
    if (std::get<std::optional<std::string>>(v)) return v;
  }
  return std::optional<std::string>();
}

// a = b, a <> b: case-insensitive as MySQL's default collations; NULL when either is NULL
// (orchestrator reads @@global.master_info_repository = 'TABLE').
value_or_err replica_queries::compare(const sql::expression& e) {
  auto a = evaluate(e.args[0]);
  if (std::holds_alternative<protocol::err_packet>(a)) return a;
  auto b = evaluate(e.args[1]);
  if (std::holds_alternative<protocol::err_packet>(b)) return b;
  const auto& x = std::get<std::optional<std::string>>(a);
  const auto& y = std::get<std::optional<std::string>>(b);
  if (!x || !y) return std::optional<std::string>();
  bool equal = lower(*x) == lower(*y);
  return std::optional<std::string>(equal == (e.text == "=") ? "1" : "0");
}

namespace {

// Session variables clients and replicas set while connecting. binrelayd accepts them and
// keeps none (they change nothing in what it sends); any other one is unknown (1193), and
// a GLOBAL one needs a privilege no serving-port user has (1227): nothing is silently ignored.
bool known_session_variable(std::string_view name) {
  static constexpr std::string_view known[] = {"autocommit",
                                               "sql_mode",
                                               "time_zone",
                                               "wait_timeout",
                                               "interactive_timeout",
                                               "net_read_timeout",
                                               "net_write_timeout",
                                               "net_retry_count",
                                               "character_set_client",
                                               "character_set_results",
                                               "character_set_connection",
                                               "collation_connection",
                                               "sql_select_limit",
                                               "sql_quote_show_create",
                                               "sql_notes",
                                               "sql_warnings",
                                               "sql_auto_is_null",
                                               "sql_safe_updates",
                                               "transaction_isolation",
                                               "tx_isolation",
                                               "transaction_read_only",
                                               "tx_read_only",
                                               "lock_wait_timeout",
                                               "innodb_lock_wait_timeout",
                                               "max_execution_time",
                                               "group_concat_max_len",
                                               "session_track_schema",
                                               "session_track_state_change",
                                               "session_track_system_variables",
                                               "session_track_gtids",
                                               "skip_replication",
                                               "profiling",
                                               "long_query_time",
                                               "foreign_key_checks",
                                               "unique_checks",
                                               "names"};
  return std::find(std::begin(known), std::end(known), name) != std::end(known);
}

}  // namespace

query_answer replica_queries::answer_set(const sql::set_statement& s) {
  using target = sql::set_assignment::target_kind;
  for (const auto& a : s.assignments) {
    if (a.target != target::system_variable) continue;
    if (a.scope == sql::var_scope::global) {
      return sql::specific_access_denied("SUPER or SYSTEM_VARIABLES_ADMIN");
    }
    if (!known_session_variable(lower(a.name))) {
      return protocol::make_err_packet(protocol::er::unknown_system_variable,
                                       fmt::format("Unknown system variable '{}'", a.name));
    }
  }
  for (const auto& a : s.assignments) {
    if (a.target != target::user_variable) continue;
    auto v = evaluate(a.value);
    if (auto* err = std::get_if<protocol::err_packet>(&v)) return *err;
    user_vars_[a.name] = std::get<std::optional<std::string>>(v);
  }
  protocol::query_result ok;
  ok.ok.status_flags = 0x0002;  // SERVER_STATUS_AUTOCOMMIT
  return ok;
}

query_answer replica_queries::answer_select(const sql::select_statement& s) {
  if (!s.from.empty()) return protocol::not_supported_yet("SELECT ... FROM " + s.from);
  std::vector<protocol::column_definition> columns;
  protocol::text_row row;
  for (const auto& item : s.items) {
    auto v = evaluate(item.value);
    if (auto* err = std::get_if<protocol::err_packet>(&v)) return *err;
    columns.push_back(protocol::text_column(item.alias.empty() ? item.source_text : item.alias));
    row.push_back(std::get<std::optional<std::string>>(v));
  }
  protocol::result_set rs(std::move(columns));
  if (!s.limit || *s.limit > 0) rs.add_row(std::move(row));
  return rs.release();
}

query_answer replica_queries::answer_show_variables(const sql::show_variables_statement& s) {
  if (s.where)
    return protocol::not_supported_yet(s.status ? "SHOW STATUS WHERE" : "SHOW VARIABLES WHERE");
  protocol::result_set rs({protocol::text_column("Variable_name"), protocol::text_column("Value")});
  for (const auto& [name, value] : s.status ? session_.status : variables()) {
    if (s.like && !sql::like_match(name, lower(*s.like))) continue;
    rs.add_row({name, value});
  }
  return rs.release();
}

query_answer replica_queries::answer(std::string_view sql) {
  auto parsed = sql::parse_statement(sql);
  if (!parsed) return protocol::to_err_packet(parsed.error());
  if (auto* set = std::get_if<sql::set_statement>(&*parsed)) return answer_set(*set);
  if (auto* select = std::get_if<sql::select_statement>(&*parsed)) return answer_select(*select);
  if (auto* show = std::get_if<sql::show_variables_statement>(&*parsed)) {
    return answer_show_variables(*show);
  }
  if (auto privilege = sql::admin_privilege(*parsed))
    return sql::specific_access_denied(*privilege);
  return protocol::not_supported_yet(sql::to_string(*parsed));
}

}  // namespace binrelay::relay
