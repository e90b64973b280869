#include "admin/handler.h"

#include <algorithm>
#include <ctime>

#include <fmt/format.h>

#include "admin/binlog_events.h"
#include "admin/change_source.h"
#include "admin/replica_status.h"
#include "admin/semi_sync_status.h"
#include "admin/server_status.h"
#include "admin/source_tables.h"
#include "common/counters.h"
#include "protocol/server_errors.h"
#include "protocol/server_result_set.h"
#include "relay/file_header.h"
#include "sql/constant_eval.h"
#include "sql/parser.h"

namespace binrelay::admin {
namespace {

using protocol::err_packet;
using protocol::integer_column;
using protocol::make_err_packet;
using protocol::text_column;
using relay::query_answer;

std::int64_t unix_now() {
  return static_cast<std::int64_t>(std::time(nullptr));
}

query_answer ok() {
  protocol::query_result r;
  r.ok.status_flags = 0x0002;  // SERVER_STATUS_AUTOCOMMIT
  return r;
}

query_answer to_answer(const result<void>& r) {
  if (!r) return protocol::to_err_packet(r.error());
  return ok();
}

// MySQL 8.0's ER_REPLICA_CHANNEL_IO_THREAD_MUST_STOP (3021) in the statement's wording.
err_packet io_thread_must_stop(sql::wording words) {
  bool legacy = words == sql::wording::legacy;
  return make_err_packet(3021,
                         fmt::format("This operation cannot be performed with a running {} "
                                     "io thread; run STOP {} IO_THREAD first.",
                                     legacy ? "slave" : "replica", legacy ? "SLAVE" : "REPLICA"));
}

// The index of `file` in `files`; nullopt when unknown.
std::optional<std::size_t> find_file(const std::vector<relay::file_info>& files,
                                     std::string_view file) {
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (files[i].name == file) return i;
  }
  return std::nullopt;
}

}  // namespace

admin_handler::admin_handler(admin_state& state)
    : state_(state), skip_(state), queries_([this] { return variables(); }, state.identity()) {}

std::map<std::string, std::string> admin_handler::variables() const {
  relay::store_snapshot store = state_.store();
  applier::applier_snapshot applier = state_.applier();
  relay::variable_inputs in;
  auto format = relay::read_newest_format(state_.relay_directory(), store.files);
  in.identity = state_.identity();
  in.identity.version = relay::served_version(in.identity, format);
  in.retrieved = store.retrieved;
  in.executed = applier.configured ? applier.executed : store.retrieved;
  if (!store.files.empty()) in.purged = store.files.front().before;
  in.checksum = format.checksum;
  auto vars = relay::server_variables(in);
  add_monitoring_variables(vars, state_);
  vars["gtid_next"] = skip_.gtid_next();
  return vars;
}

std::string admin_handler::served_version() const {
  const relay::serve_identity& id = state_.identity();
  bool known = !id.version.empty() || (id.upstream_version && !id.upstream_version().empty());
  relay::newest_format format;
  if (!known) format = relay::read_newest_format(state_.relay_directory(), state_.store().files);
  return relay::served_version(id, format);
}

bool admin_handler::presents_as_mariadb() const {
  return served_version().find("MariaDB") != std::string::npos;
}

std::string admin_handler::statistics() const {
  return statistics_line(state_);
}

void admin_handler::set_session(relay::session_facts facts) {
  session_ = facts;
  queries_.set_session(std::move(facts));
}

query_answer admin_handler::answer(std::string_view text) {
  process_counters::add(counters().admin_queries, 1);
  last_statement_ = std::string(text.substr(0, 1024));
  auto parsed = sql::parse_statement(text);
  if (!parsed) return protocol::to_err_packet(parsed.error());
  if (auto* set_stmt = std::get_if<sql::set_statement>(&*parsed)) return set(*set_stmt, text);
  if (auto* show = std::get_if<sql::show_variables_statement>(&*parsed); show && show->status) {
    relay::session_facts facts = session_;
    facts.status.merge(global_status(state_));
    facts.status.merge(semi_sync_status(state_.upstream()));
    queries_.set_session(std::move(facts));
  }
  if (auto* select = std::get_if<sql::select_statement>(&*parsed); select && !select->from.empty())
    return select_from(*select);
  if (std::holds_alternative<sql::select_statement>(*parsed) ||
      std::holds_alternative<sql::show_variables_statement>(*parsed)) {
    return queries_.answer(text);
  }
  return dispatch(*parsed);
}

// KILL of the IO or SQL thread's id (SHOW PROCESSLIST) stops that thread, as on MySQL; any
// other id is a connection's.
query_answer admin_handler::kill(std::uint32_t id) {
  if (id == io_thread_id && state_.upstream().running != relay::io_running::no)
    return to_answer(state_.stop_io());
  auto applier = state_.applier();
  if (id == sql_thread_id && applier.configured && applier.running)
    return to_answer(state_.stop_sql());
  return to_answer(state_.kill_connection(id));
}

query_answer admin_handler::dispatch(const sql::statement& s) {
  if (auto* st = std::get_if<sql::show_replica_status_statement>(&s)) {
    auto in = collect_replica_status(state_, unix_now());
    if (st->all || presents_as_mariadb()) return mariadb_replica_status_result(in, st->all);
    return replica_status_result(in, st->words);
  }
  if (std::holds_alternative<sql::show_processlist_statement>(s)) {
    return processlist(state_, {connection_id_, session_.user, session_.host, last_statement_});
  }
  if (std::holds_alternative<sql::shutdown_statement>(s)) {
    auto allowed = state_.shutdown_allowed();
    shutdown_accepted_ = allowed.has_value();
    return to_answer(allowed);
  }
  if (auto* k = std::get_if<sql::kill_statement>(&s)) return kill(k->id);
  if (std::holds_alternative<sql::show_master_status_statement>(s)) return show_master_status();
  if (std::holds_alternative<sql::show_binary_logs_statement>(s)) return show_binary_logs();
  if (auto* ev = std::get_if<sql::show_binlog_events_statement>(&s)) return show_binlog_events(*ev);
  if (auto* r = std::get_if<sql::show_replicas_statement>(&s)) return show_replicas(*r);
  if (std::holds_alternative<sql::show_replica_sources_statement>(s))
    return replica_sources_result(state_.sources(), state_.upstream());
  if (auto* c = std::get_if<sql::replica_control_statement>(&s)) return control(*c);
  if (auto* c = std::get_if<sql::change_source_statement>(&s)) return change_source(*c);
  if (std::holds_alternative<sql::flush_binary_logs_statement>(s))
    return to_answer(state_.rotate());
  if (auto* p = std::get_if<sql::purge_binary_logs_statement>(&s)) return purge(*p);
  if (auto* r = std::get_if<sql::reset_replica_statement>(&s)) return reset(*r);
  if (std::holds_alternative<sql::begin_statement>(s)) return skip_.begin();
  if (std::holds_alternative<sql::commit_statement>(s)) return skip_.commit();
  return protocol::not_supported_yet(sql::to_string(s));
}

namespace {

bool is_skip_variable(const sql::set_assignment& a) {
  using target = sql::set_assignment::target_kind;
  if (a.target != target::system_variable) return false;
  if (a.name == "gtid_next") return a.scope != sql::var_scope::global;
  return a.name == "gtid_slave_pos" && a.scope == sql::var_scope::global;
}

}  // namespace

// Session variables are accepted (clients set names, autocommit, ...); GTID_NEXT and GLOBAL
// gtid_slave_pos skip a transaction (admin_skip.h); other GLOBAL ones and
// sql_slave_skip_counter are not supported: they would be silently ignored.
query_answer admin_handler::set(const sql::set_statement& s, std::string_view text) {
  using target = sql::set_assignment::target_kind;
  if (std::any_of(s.assignments.begin(), s.assignments.end(), is_skip_variable))
    return set_skip_variable(s);
  for (const auto& a : s.assignments) {
    if (a.target != target::system_variable) continue;
    if (a.scope == sql::var_scope::global || a.name == "gtid_next" || a.name == "gtid_slave_pos" ||
        a.name == "sql_slave_skip_counter") {
      return protocol::not_supported_yet(
          fmt::format("SET {}{}", a.scope == sql::var_scope::global ? "GLOBAL " : "", a.name));
    }
  }
  return queries_.answer(text);
}

// GTID_NEXT / gtid_slave_pos alone: with other variables in the same SET, part of it could
// fail after the skip was registered.
query_answer admin_handler::set_skip_variable(const sql::set_statement& s) {
  const sql::set_assignment& a =
      *std::find_if(s.assignments.begin(), s.assignments.end(), is_skip_variable);
  if (s.assignments.size() != 1) {
    return protocol::not_supported_yet(fmt::format("SET {} together with other variables", a.name));
  }
  if (a.name == "gtid_next") return skip_.set_gtid_next(a.value);
  return skip_.set_gtid_slave_pos(a.value);
}

// Tables monitoring tools read that binrelayd has nothing for (InnoDB compression statistics:
// prometheus-mysqld-exporter's default info_schema.innodb_cmp* collectors): no rows.
query_answer admin_handler::select_from(const sql::select_statement& s) {
  if (s.from == failover_table) return select_from_table(s, state_.sources());
  static constexpr std::string_view empty_tables[] = {
      "information_schema.innodb_cmp", "information_schema.innodb_cmpmem",
      "information_schema.innodb_cmp_reset", "information_schema.innodb_cmpmem_reset"};
  if (std::find(std::begin(empty_tables), std::end(empty_tables), s.from) ==
      std::end(empty_tables)) {
    return protocol::not_supported_yet("SELECT ... FROM " + s.from);
  }
  std::vector<protocol::column_definition> columns;
  for (const auto& item : s.items)
    columns.push_back(text_column(item.alias.empty() ? item.source_text : item.alias));
  return protocol::result_set(std::move(columns)).release();
}

query_answer admin_handler::show_master_status() {
  relay::store_snapshot store = state_.store();
  protocol::result_set rs({text_column("File"), integer_column("Position", true),
                           text_column("Binlog_Do_DB"), text_column("Binlog_Ignore_DB"),
                           text_column("Executed_Gtid_Set", 4096)});
  if (!store.end.file.empty()) {
    rs.add_row(
        {store.end.file, std::to_string(store.end.offset), "", "", store.retrieved.to_string()});
  }
  return rs.release();
}

query_answer admin_handler::show_binary_logs() {
  protocol::result_set rs(
      {text_column("Log_name"), integer_column("File_size", true), text_column("Encrypted")});
  for (const auto& f : state_.store().files) rs.add_row({f.name, std::to_string(f.size), "No"});
  return rs.release();
}

query_answer admin_handler::show_binlog_events(const sql::show_binlog_events_statement& s) {
  relay::store_snapshot store = state_.store();
  if (store.files.empty()) return no_binlog_events();
  std::string name = s.file.value_or(store.files.front().name);
  auto index = find_file(store.files, name);
  if (!index) {
    return make_err_packet(1220,
                           "Error when executing command SHOW BINLOG EVENTS: Could not "
                           "find target log");
  }
  binlog_events_request request{state_.relay_directory() / name,
                                name,
                                store.files[*index].size,
                                s.from.value_or(4),
                                s.offset.value_or(0),
                                s.limit};
  auto r = admin::show_binlog_events(request);
  if (!r) return protocol::to_err_packet(r.error());
  return std::move(*r);
}

// SHOW SLAVE HOSTS / SHOW REPLICAS: MySQL's five columns, then binrelay's position and lag of
// each replica.
query_answer admin_handler::show_replicas(const sql::show_replicas_statement& s) {
  bool legacy = s.words == sql::wording::legacy;
  protocol::result_set rs(
      {integer_column(legacy ? "Server_id" : "Server_Id", true), text_column("Host"),
       integer_column("Port", true), integer_column(legacy ? "Master_id" : "Source_Id", true),
       text_column(legacy ? "Slave_UUID" : "Replica_UUID"), text_column("Binlog_File"),
       integer_column("Binlog_Pos", true), integer_column("Seconds_Behind")});
  for (const auto& r : state_.replicas()) {
    std::optional<std::string> lag;
    if (r.lag_seconds >= 0) lag = std::to_string(r.lag_seconds);
    rs.add_row({std::to_string(r.server_id), r.host, std::to_string(r.port),
                std::to_string(r.source_id), r.uuid, r.file, std::to_string(r.position), lag});
  }
  return rs.release();
}

query_answer admin_handler::control(const sql::replica_control_statement& s) {
  bool io = s.threads != sql::replica_threads::sql;
  bool sql_thread = s.threads != sql::replica_threads::io;
  if (io) {
    auto r = s.start ? state_.start_io() : state_.stop_io();
    if (!r) return protocol::to_err_packet(r.error());
  }
  if (sql_thread) return to_answer(s.start ? state_.start_sql() : state_.stop_sql());
  return ok();
}

query_answer admin_handler::change_source(const sql::change_source_statement& s) {
  if (state_.upstream().running != relay::io_running::no) return io_thread_must_stop(s.words);
  auto change = apply_change_source(state_.source(), s);
  if (!change) return protocol::to_err_packet(change.error());
  return to_answer(state_.change_source(change->settings, change->password));
}

query_answer admin_handler::purge(const sql::purge_binary_logs_statement& s) {
  if (s.to_file) return purge_to(*s.to_file);
  const sql::expression& before = *s.before;
  auto when = sql::evaluate_datetime(before, unix_now());
  if (!when) {
    return make_err_packet(1210, fmt::format("Incorrect arguments to PURGE BINARY LOGS BEFORE: "
                                             "expected 'YYYY-MM-DD HH:MM:SS' or NOW() [- "
                                             "INTERVAL n unit], got {}",
                                             sql::to_string(before)));
  }
  auto files = state_.store().files;
  if (files.empty()) return ok();
  std::size_t keep = 0;
  while (keep + 1 < files.size() && files[keep].last_write_unix < *when) ++keep;
  return purge_to(files[keep].name);
}

// Files before `file` are deleted; a file a replica still reads stops the purge with MySQL's
// ER_LOG_IN_USE (1378), naming the file.
query_answer admin_handler::purge_to(const std::string& file) {
  auto files = state_.store().files;
  auto index = find_file(files, file);
  if (!index)
    return make_err_packet(1373, fmt::format("Target log not found in binlog index: '{}'", file));
  auto purged = state_.purge_to(file);
  if (!purged) return protocol::to_err_packet(purged.error());
  if (*purged < *index) {
    return make_err_packet(1378, fmt::format("A purgeable log is in use, will not purge: '{}' is "
                                             "being read by a replica; {} of {} file(s) purged",
                                             files[*purged].name, *purged, *index));
  }
  return ok();
}

query_answer admin_handler::reset(const sql::reset_replica_statement& s) {
  if (state_.upstream().running != relay::io_running::no) {
    bool legacy = s.words == sql::wording::legacy;
    return make_err_packet(1198,
                           fmt::format("This operation cannot be performed with a running "
                                       "{0}; run STOP {1} first",
                                       legacy ? "slave" : "replica", legacy ? "SLAVE" : "REPLICA"));
  }
  return to_answer(state_.reset_replica(s.all));
}

}  // namespace binrelay::admin
