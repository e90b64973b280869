#pragma once
// admin_handler: what binrelayd's admin user gets for each statement (docs/admin-sql.md).
// One per admin connection. It parses the text (relay/sql_parser.h) and answers from, or acts
// on, the daemon's live state (admin_state.h):
//   SHOW SLAVE|REPLICA STATUS, SHOW MASTER STATUS, SHOW BINARY LOGS, SHOW BINLOG EVENTS,
//   SHOW SLAVE HOSTS|REPLICAS, SELECT @@var / SHOW VARIABLES / SET (session), START|STOP
//   SLAVE [IO_THREAD|SQL_THREAD], CHANGE MASTER TO, FLUSH BINARY LOGS, PURGE BINARY LOGS
//   TO|BEFORE, RESET SLAVE [ALL], and the skip of a failing transaction: SET GTID_NEXT, BEGIN,
//   COMMIT, SET GLOBAL gtid_slave_pos (admin_skip.h).
// Anything else is an ERR naming the statement (1235). Sans-I/O; not thread-safe; call it on
// the executor admin_state requires.

#include <string_view>

#include "daemon/admin_skip.h"
#include "daemon/admin_state.h"
#include "relay/replica_queries.h"
#include "relay/sql_statement.h"

namespace binrelay::daemon {

class admin_handler {
 public:
  // `state` must outlive the handler.
  explicit admin_handler(admin_state& state);

  relay::query_answer answer(std::string_view sql);
  // Who is connected (USER()) and what SHOW STATUS lists (Ssl_cipher, Ssl_version).
  void set_session(relay::session_facts facts) { queries_.set_session(std::move(facts)); }

 private:
  relay::query_answer dispatch(const relay::sql::statement& s);
  relay::query_answer show_master_status();
  relay::query_answer show_binary_logs();
  relay::query_answer show_binlog_events(const relay::sql::show_binlog_events_statement& s);
  relay::query_answer show_replicas(const relay::sql::show_replicas_statement& s);
  relay::query_answer control(const relay::sql::replica_control_statement& s);
  relay::query_answer change_source(const relay::sql::change_source_statement& s);
  relay::query_answer purge(const relay::sql::purge_binary_logs_statement& s);
  relay::query_answer purge_to(const std::string& file);
  relay::query_answer reset(const relay::sql::reset_replica_statement& s);
  relay::query_answer set(const relay::sql::set_statement& s, std::string_view sql);
  relay::query_answer set_skip_variable(const relay::sql::set_statement& s);
  std::map<std::string, std::string> variables() const;

  admin_state& state_;
  transaction_skip skip_;           // this session's GTID_NEXT and transaction
  relay::replica_queries queries_;  // SELECT, SHOW VARIABLES, session SET
};

}  // namespace binrelay::daemon
