#pragma once
// Test helper: a scripted downstream MySQL/MariaDB server for the applier, on 127.0.0.1 (any
// free port), built on binrelay's own server side (protocol/server_listener.h). It accepts
// any number of connections (one per applier worker; account `user`/`password`,
// mysql_native_password), splits each COM_QUERY into its ';'-separated statements and answers
// them in order as a server would (OK with SERVER_MORE_RESULTS_EXISTS while statements
// follow; the first ERR ends the query), and logs every statement it received.
//
// What it knows of the applier's SQL: the session set-up (max_allowed_packet), GET_LOCK, the
// progress table binrelay.apply_progress (a REPLACE is kept per session until COMMIT, dropped
// on ROLLBACK or disconnect; the resume query reads the committed rows), the GTID variables
// (empty, log_bin=0), and the information_schema queries for tables given by add_table().
// Anything else is answered OK. COM_STMT_PREPARE is refused (configure apply_method::text).
//
// Rules change the answers: the first rule that matches a statement decides.
//
// Threading: everything, the test's calls included, on the thread that runs the io_context.

#include <cstdint>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "protocol/server_listener.h"

namespace binrelay::test {

enum class fake_action {
  err,    // answer ERR `code` `message`
  drop,   // close the connection instead of answering
  hold,   // answer only after release(gate)
  value,  // answer a one-column, one-row result set holding `message`
};

struct fake_rule {
  std::string statement;                // ECMAScript regex, searched in each statement
  std::optional<std::uint64_t> seq_no;  // only in the transaction whose gtid_seq_no the
                                        // session set last
  unsigned occurrence = 0;              // fire on the n-th matching statement; 0: on every one
  fake_action action = fake_action::err;
  std::uint16_t code = 0;
  std::string message;
};

struct logged_statement {
  std::size_t connection = 0;  // 1, 2, ... in accept order
  std::size_t command = 0;     // which COM_QUERY, counted over all connections
  std::uint64_t seq_no = 0;    // the gtid_seq_no the session had set (0: none yet)
  std::string sql;
};

class fake_downstream {
 public:
  using gate = std::size_t;

  explicit fake_downstream(boost::asio::any_io_executor ex);
  ~fake_downstream();
  fake_downstream(const fake_downstream&) = delete;
  fake_downstream& operator=(const fake_downstream&) = delete;

  std::uint16_t port() const { return listener_->port(); }
  static constexpr const char* user = "applier";
  static constexpr const char* password = "secret";
  // Ends every connection (opening every gate); the listener's run() then returns.
  void stop();
  bool stopped() const { return listener_done_; }

  void add_rule(fake_rule r);
  // Holds statements matching `statement` (in the transaction seq_no, when given; only the
  // n-th match when occurrence > 0) until release(); returns the gate.
  gate hold(std::string statement, std::optional<std::uint64_t> seq_no = {},
            unsigned occurrence = 0);
  void release(gate g);
  // Columns of db.table for the schema queries; its first column is the primary key.
  void add_table(std::string db, std::string table, std::vector<std::string> columns);

  const std::vector<logged_statement>& statements() const { return log_; }
  // Statements of the log matching `regex`.
  std::vector<logged_statement> statements_matching(const std::string& regex) const;
  // The GTID of every transaction that recorded its progress, in the order of its COMMIT.
  const std::vector<std::string>& commits() const { return commits_; }
  std::size_t connections() const { return connections_; }
  // Sessions waiting at a gate.
  std::size_t held() const { return held_; }

 private:
  struct session;
  struct table {
    std::string db, name;
    std::vector<std::string> columns;
  };
  struct armed_rule {
    fake_rule rule;
    std::regex pattern;
    unsigned matches = 0;
    gate hold_gate = 0;
  };

  boost::asio::awaitable<void> serve(protocol::server_connection& c);
  // false: the connection was dropped.
  boost::asio::awaitable<bool> run_query(protocol::server_connection& c, session& s,
                                         std::string_view sql);
  const armed_rule* match(const session& s, const std::string& sql);
  protocol::query_result answer_for(session& s, const std::string& sql);
  boost::asio::awaitable<void> wait_at(gate g);

  boost::asio::any_io_executor ex_;
  std::unique_ptr<protocol::server_context> context_;
  std::unique_ptr<protocol::server_listener> listener_;
  bool listener_done_ = false;
  std::vector<armed_rule> rules_;
  std::vector<bool> gates_open_;
  std::vector<boost::asio::steady_timer*> gate_waiters_;
  std::size_t held_ = 0;
  std::vector<table> tables_;
  std::vector<logged_statement> log_;
  std::vector<std::string> commits_;
  // binrelay.apply_progress: committed rows, one per worker.
  struct progress_row {
    unsigned worker = 0;
    std::uint64_t file_number = 0, end_offset = 0;
    std::string file, gtid;
  };
  std::vector<progress_row> progress_;
  std::size_t connections_ = 0;
  std::size_t commands_ = 0;
};

}  // namespace binrelay::test
