#pragma once
// The parse trees of binrelay's admin SQL subset (docs/admin-sql.md): what sql_parser.h
// produces and the admin SQL executor consumes. Plain values, copyable and comparable.
//
// Names are normalised: system and user variable names and option names to lower case
// (MySQL treats them case-insensitively), function names and CHANGE ... TO option names to
// upper case. String literals hold their unescaped value.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace binrelay::sql {

enum class var_scope { none, global, session };

// The words a statement was written with: MASTER/SLAVE (MySQL < 8.0.22/8.0.26, MariaDB) or
// SOURCE/REPLICA. Answers use the column names of the same generation.
enum class wording { legacy, modern };

struct expression {
  enum class kind {
    string,           // text: value
    number,           // text: literal as written ("30000000000", "1.5", "0x1F")
    null,             // NULL
    identifier,       // text: bare name as written (ON, OFF, slave_pos, DEFAULT, a column)
    user_variable,    // text: lower-case name
    system_variable,  // text: lower-case name; scope
    function_call,    // text: upper-case name; args
    unary,            // text: operator ("-", "NOT"); args[0]
    binary,           // text: operator ("=", "AND", "LIKE", "+", ...); args[0], args[1]
    list,             // args: (a, b, ...) or IN's right-hand side
  };
  kind type = kind::null;
  std::string text;
  var_scope scope = var_scope::none;
  std::vector<expression> args;
  bool operator==(const expression&) const = default;
};

struct set_assignment {
  enum class target_kind { user_variable, system_variable, names, character_set };
  target_kind target = target_kind::user_variable;
  std::string name;  // variable name; charset for NAMES / CHARACTER SET
  var_scope scope = var_scope::none;
  expression value;       // for variables
  std::string collation;  // SET NAMES x COLLATE y
  bool operator==(const set_assignment&) const = default;
};

struct set_statement {
  std::vector<set_assignment> assignments;
  bool operator==(const set_statement&) const = default;
};

struct select_item {
  expression value;
  std::string alias;        // AS alias; empty: none
  std::string source_text;  // the expression as written: MySQL's column name without alias
  bool operator==(const select_item&) const = default;
};

struct select_statement {
  std::vector<select_item> items;
  std::string from;  // FROM schema.table, lower case; empty: no FROM
  std::optional<std::uint64_t> limit;
  bool operator==(const select_statement&) const = default;
};

// SHOW VARIABLES, and SHOW STATUS (the same grammar over the status variables).
struct show_variables_statement {
  bool status = false;  // SHOW STATUS
  var_scope scope = var_scope::none;
  std::optional<std::string> like;  // the pattern
  std::optional<expression> where;
  bool operator==(const show_variables_statement&) const = default;
};

struct show_replica_status_statement {
  wording words = wording::legacy;
  bool all = false;  // SHOW ALL SLAVES STATUS (MariaDB)
  bool operator==(const show_replica_status_statement&) const = default;
};

// SHOW MASTER STATUS, SHOW BINARY LOG STATUS (8.2+).
struct show_master_status_statement {
  bool operator==(const show_master_status_statement&) const = default;
};

// SHOW BINARY LOGS, SHOW MASTER LOGS.
struct show_binary_logs_statement {
  bool operator==(const show_binary_logs_statement&) const = default;
};

struct show_binlog_events_statement {
  std::optional<std::string> file;
  std::optional<std::uint64_t> from;
  std::optional<std::uint64_t> offset;
  std::optional<std::uint64_t> limit;
  bool operator==(const show_binlog_events_statement&) const = default;
};

// SHOW SLAVE HOSTS, SHOW REPLICAS.
struct show_replicas_statement {
  wording words = wording::legacy;
  bool operator==(const show_replicas_statement&) const = default;
};

// SHOW REPLICA SOURCES: binrelay's source list and group view (docs/failover.md).
struct show_replica_sources_statement {
  bool operator==(const show_replica_sources_statement&) const = default;
};

enum class replica_threads { both, io, sql };

// START/STOP SLAVE|REPLICA [IO_THREAD | SQL_THREAD | IO_THREAD, SQL_THREAD].
struct replica_control_statement {
  bool start = true;
  wording words = wording::legacy;
  replica_threads threads = replica_threads::both;
  bool operator==(const replica_control_statement&) const = default;
};

struct change_source_option {
  std::string name;  // upper case: MASTER_HOST, SOURCE_PORT, MASTER_USE_GTID, ...
  expression value;  // IGNORE_SERVER_IDS = (1, 2) is a list
  bool operator==(const change_source_option&) const = default;
};

// CHANGE MASTER TO ..., CHANGE REPLICATION SOURCE TO ...
struct change_source_statement {
  wording words = wording::legacy;
  std::vector<change_source_option> options;
  bool operator==(const change_source_statement&) const = default;
};

struct flush_binary_logs_statement {
  bool operator==(const flush_binary_logs_statement&) const = default;
};

// PURGE BINARY|MASTER LOGS TO 'file' | BEFORE <datetime expression>.
struct purge_binary_logs_statement {
  std::optional<std::string> to_file;
  std::optional<expression> before;
  bool operator==(const purge_binary_logs_statement&) const = default;
};

struct reset_replica_statement {
  wording words = wording::legacy;
  bool all = false;
  bool operator==(const reset_replica_statement&) const = default;
};

// BEGIN [WORK], START TRANSACTION.
struct begin_statement {
  bool operator==(const begin_statement&) const = default;
};

// COMMIT [WORK].
struct commit_statement {
  bool operator==(const commit_statement&) const = default;
};

// SHOW [FULL] PROCESSLIST.
struct show_processlist_statement {
  bool full = false;
  bool operator==(const show_processlist_statement&) const = default;
};

// KILL [CONNECTION] id.
struct kill_statement {
  std::uint32_t id = 0;
  bool operator==(const kill_statement&) const = default;
};

// SHUTDOWN.
struct shutdown_statement {
  bool operator==(const shutdown_statement&) const = default;
};

using statement =
    std::variant<set_statement, select_statement, show_variables_statement,
                 show_replica_status_statement, show_master_status_statement,
                 show_binary_logs_statement, show_binlog_events_statement, show_replicas_statement,
                 show_replica_sources_statement, replica_control_statement, change_source_statement,
                 flush_binary_logs_statement, purge_binary_logs_statement, reset_replica_statement,
                 begin_statement, commit_statement, show_processlist_statement, kill_statement,
                 shutdown_statement>;

// A canonical, one-line rendering for tests and logs, e.g.
// "(set @master_heartbeat_period = 30, @source_heartbeat_period = 30)".
std::string to_string(const expression& e);
std::string to_string(const statement& s);

}  // namespace binrelay::sql
