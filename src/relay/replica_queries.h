#pragma once
// The answers binrelayd's serving port gives to the statements MySQL 8.0 and MariaDB 10.x
// replicas send while connecting (docs/serving.md): SELECT UNIX_TIMESTAMP(), SHOW VARIABLES
// LIKE 'SERVER_ID', SET @master_heartbeat_period / @master_binlog_checksum /
// @slave_connect_state / @mariadb_slave_capability, SELECT @master_binlog_checksum,
// SELECT @@GLOBAL.gtid_domain_id / GTID_MODE / SERVER_UUID / version_comment, SET NAMES, ...
//
// Sans-I/O: one replica_queries per connection remembers the session's user variables and
// turns each parsed statement into an OK, a result set or an ERR packet. Not thread-safe.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "protocol/response_packets.h"
#include "protocol/text_result_set.h"
#include "relay/relay_store.h"
#include "sql/statement.h"

namespace binrelay::relay {

// What the serving port says about itself.
struct serve_identity {
  std::uint32_t server_id = 1;
  std::string server_uuid;
  std::string version =
      {};  // configured (--server-version): announced as is; empty: follow the primary
  std::string version_comment = "binrelay";
  // The primary's version when known (binrelayd: from the upstream session's greeting, kept
  // in the data directory); "" or no function: unknown. Called on serving threads: must be
  // thread-safe.
  std::function<std::string()> upstream_version = {};
};

// What the newest relay log file's FDE says; the defaults while there is none (or it cannot be
// read).
struct newest_format {
  std::string checksum = "CRC32";  // @@binlog_checksum
  std::string server_version;      // the upstream's version; empty: unknown
};
newest_format read_newest_format(const std::filesystem::path& dir,
                                 const std::vector<file_info>& files);

// What is announced when nothing is configured or known.
inline constexpr const char* default_served_version = "8.0.36-binrelay";

// The version the serving port announces: identity.version when configured; else the
// primary's (identity.upstream_version), so that replicas behave as with the primary; else the
// server version of the newest stored FDE; else default_served_version. In the greeting
// (`for_greeting`) a MariaDB version gets MariaDB's "5.5.5-" prefix.
std::string served_version(const serve_identity& identity, const newest_format& format,
                           bool for_greeting = false);
std::string served_version(const relay_store& store, const serve_identity& identity,
                           bool for_greeting = false);

using query_answer = std::variant<protocol::query_result, protocol::err_packet>;

// What the global system variables the subset knows are computed from.
struct variable_inputs {
  serve_identity identity;
  gtid_state retrieved;            // @@gtid_binlog_pos / @@gtid_current_pos (MariaDB)
  gtid_state executed;             // @@gtid_executed (MySQL)
  gtid_state purged;               // @@gtid_purged (MySQL)
  std::string checksum = "CRC32";  // @@binlog_checksum
};
// Lower-case variable name -> value.
std::map<std::string, std::string> server_variables(const variable_inputs& in);

// What a connection knows about itself.
struct session_facts {
  std::string user;                           // the account logged in
  std::string host;                           // the client's address
  std::map<std::string, std::string> status;  // SHOW STATUS: name -> value
};

using variables_fn = std::function<std::map<std::string, std::string>()>;

class replica_queries {
 public:
  // Variables from the store: executed = retrieved, purged empty.
  replica_queries(const relay_store& store, serve_identity identity);
  // Variables from `variables`, called once per statement that reads them.
  replica_queries(variables_fn variables, serve_identity identity);

  // Parses and answers one COM_QUERY text. Parse errors become their ERR packets (1064,
  // 1065, 1235); statements outside the replica subset are 1235 naming the statement.
  query_answer answer(std::string_view sql);

  // Who is connected, for USER() and CURRENT_USER(), and the session status variables SHOW
  // STATUS lists (e.g. Ssl_cipher, Ssl_version). Empty until set.
  void set_session(session_facts facts) { session_ = std::move(facts); }

  // A user variable as last SET (lower-case name without '@'); nullopt when unset or NULL.
  std::optional<std::string> user_variable(const std::string& name) const;

 private:
  query_answer answer_set(const sql::set_statement& s);
  query_answer answer_select(const sql::select_statement& s);
  query_answer answer_show_variables(const sql::show_variables_statement& s);
  // The value of an expression; ERR for what the subset cannot evaluate.
  std::variant<std::optional<std::string>, protocol::err_packet> evaluate(const sql::expression& e);
  std::variant<std::optional<std::string>, protocol::err_packet> first_not_null(
      const std::vector<sql::expression>& args);
  std::variant<std::optional<std::string>, protocol::err_packet> compare(const sql::expression& e);
  std::optional<std::string> system_variable(const std::string& name) const;
  std::map<std::string, std::string> variables() const;

  variables_fn variables_;
  serve_identity identity_;
  std::map<std::string, std::optional<std::string>> user_vars_;
  session_facts session_;
};

}  // namespace binrelay::relay
