#pragma once
// admin_handler: what binrelayd's admin user gets for each statement (docs/admin-sql.md).
// One per admin connection. It parses the text (relay/sql_parser.h) and answers from, or acts
// on, the daemon's live state (admin_state.h):
//   SHOW SLAVE|REPLICA STATUS, SHOW MASTER STATUS, SHOW BINARY LOGS, SHOW BINLOG EVENTS,
//   SHOW SLAVE HOSTS|REPLICAS, SHOW REPLICA SOURCES and SELECT FROM
//   performance_schema.replication_asynchronous_connection_failover (source_tables.h),
//   SELECT @@var / SHOW VARIABLES / SET (session), START|STOP
//   SLAVE [IO_THREAD|SQL_THREAD], CHANGE MASTER TO, FLUSH BINARY LOGS, PURGE BINARY LOGS
//   TO|BEFORE, RESET SLAVE [ALL], SHOW [FULL] PROCESSLIST, KILL [CONNECTION] id, SHUTDOWN, and the
//   skip of a failing transaction: SET GTID_NEXT, BEGIN, COMMIT, SET GLOBAL gtid_slave_pos
//   (admin_skip.h).
// Anything else is an ERR naming the statement (1235). Sans-I/O; not thread-safe; call it on
// the executor admin_state requires.

#include <string_view>

#include "admin/skip.h"
#include "admin/state.h"
#include "relay/replica_queries.h"
#include "sql/statement.h"

namespace binrelay::admin {

class admin_handler {
 public:
  // `state` must outlive the handler.
  explicit admin_handler(admin_state& state);

  relay::query_answer answer(std::string_view sql);
  // Who is connected (USER()) and what SHOW STATUS lists (Ssl_cipher, Ssl_version); the
  // health counters (health_status.h) are added to the latter at every SHOW STATUS.
  void set_session(relay::session_facts facts);
  // The connection id SHOW PROCESSLIST shows for this session.
  void set_connection_id(std::uint32_t id) { connection_id_ = id; }
  // COM_STATISTICS's line.
  std::string statistics() const;
  // True when binrelayd presents itself as MariaDB (its served version says so): SHOW SLAVE
  // STATUS then has MariaDB's columns.
  bool presents_as_mariadb() const;
  // True once after SHUTDOWN was answered OK: the session then calls
  // admin_state::request_shutdown(), after sending that OK.
  bool take_shutdown() { return std::exchange(shutdown_accepted_, false); }

 private:
  relay::query_answer dispatch(const sql::statement& s);
  relay::query_answer kill(std::uint32_t id);
  relay::query_answer select_from(const sql::select_statement& s);
  relay::query_answer show_master_status();
  relay::query_answer show_binary_logs();
  relay::query_answer show_binlog_events(const sql::show_binlog_events_statement& s);
  relay::query_answer show_replicas(const sql::show_replicas_statement& s);
  relay::query_answer control(const sql::replica_control_statement& s);
  relay::query_answer change_source(const sql::change_source_statement& s);
  relay::query_answer purge(const sql::purge_binary_logs_statement& s);
  relay::query_answer purge_to(const std::string& file);
  relay::query_answer reset(const sql::reset_replica_statement& s);
  relay::query_answer set(const sql::set_statement& s, std::string_view sql);
  relay::query_answer set_skip_variable(const sql::set_statement& s);
  std::map<std::string, std::string> variables() const;
  std::string served_version() const;

  admin_state& state_;
  bool shutdown_accepted_ = false;
  relay::session_facts session_;
  std::uint32_t connection_id_ = 0;
  std::string last_statement_;      // for SHOW PROCESSLIST's Info
  transaction_skip skip_;           // this session's GTID_NEXT and transaction
  relay::replica_queries queries_;  // SELECT, SHOW VARIABLES, session SET
};

}  // namespace binrelay::admin
