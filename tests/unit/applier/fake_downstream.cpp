#include "unit/applier/fake_downstream.h"

#include <algorithm>
#include <tuple>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "protocol/constants.h"
#include "protocol/text_result_set.h"

namespace binrelay::test {
namespace asio = boost::asio;
using asio::awaitable;
using protocol::query_result;

struct fake_downstream::session {
  std::size_t id = 0;
  std::uint64_t seq_no = 0;
  std::optional<progress_row> pending;  // the open transaction's progress row
};

namespace {

// Splits a COM_QUERY at the ';' outside quotes.
std::vector<std::string> split_statements(std::string_view sql) {
  std::vector<std::string> out(1);
  char quote = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    char ch = sql[i];
    if (quote && ch == '\\' && i + 1 < sql.size()) {
      out.back() += ch;
      ch = sql[++i];
    } else if (quote && ch == quote) {
      quote = 0;
    } else if (!quote && (ch == '\'' || ch == '"' || ch == '`')) {
      quote = ch;
    } else if (!quote && ch == ';') {
      out.emplace_back();
      continue;
    }
    out.back() += ch;
  }
  return out;
}

query_result result_set(std::vector<std::string> names, std::vector<protocol::text_row> rows) {
  query_result r;
  for (auto& n : names) {
    protocol::column_definition c;
    c.name = std::move(n);
    c.charset = 33;
    c.type = 0xfd;  // VAR_STRING
    r.columns.push_back(std::move(c));
  }
  r.rows = std::move(rows);
  return r;
}

query_result value(std::string v) {
  return result_set({"value"}, {{std::move(v)}});
}

bool starts_with(const std::string& s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

std::optional<std::smatch> search(const std::string& s, const char* regex) {
  std::smatch m;
  if (!std::regex_search(s, m, std::regex(regex))) return std::nullopt;
  return m;
}

}  // namespace

fake_downstream::fake_downstream(asio::any_io_executor ex) : ex_(ex) {
  protocol::server_options o;
  o.server_version = "5.5.5-10.11.6-MariaDB-fake";
  o.default_auth_plugin = "mysql_native_password";
  o.accounts.push_back({user, password, "mysql_native_password"});
  context_ = std::make_unique<protocol::server_context>(std::move(o));
  listener_ = std::make_unique<protocol::server_listener>(
      ex, protocol::listener_options{}, *context_,
      [this](protocol::server_connection& c) { return serve(c); });
  asio::co_spawn(ex, listener_->run(), [this](std::exception_ptr) { listener_done_ = true; });
}

fake_downstream::~fake_downstream() = default;

void fake_downstream::stop() {
  std::fill(gates_open_.begin(), gates_open_.end(), true);
  for (auto* w : gate_waiters_) w->cancel();
  listener_->stop();
}

void fake_downstream::add_rule(fake_rule r) {
  std::regex pattern(r.statement);
  rules_.push_back({std::move(r), std::move(pattern), 0, 0});
}

fake_downstream::gate fake_downstream::hold(std::string statement,
                                            std::optional<std::uint64_t> seq_no,
                                            unsigned occurrence) {
  gates_open_.push_back(false);
  add_rule({std::move(statement), seq_no, occurrence, fake_action::hold, 0, {}});
  rules_.back().hold_gate = gates_open_.size() - 1;
  return gates_open_.size() - 1;
}

void fake_downstream::release(gate g) {
  gates_open_.at(g) = true;
  for (auto* w : gate_waiters_) w->cancel();
}

void fake_downstream::add_table(std::string db, std::string table,
                                std::vector<std::string> columns) {
  tables_.push_back({std::move(db), std::move(table), std::move(columns)});
}

std::vector<logged_statement> fake_downstream::statements_matching(const std::string& regex) const {
  std::regex pattern(regex);
  std::vector<logged_statement> out;
  for (const auto& s : log_) {
    if (std::regex_search(s.sql, pattern)) out.push_back(s);
  }
  return out;
}

awaitable<void> fake_downstream::serve(protocol::server_connection& c) {
  session s;
  s.id = ++connections_;
  while (true) {
    auto command = co_await c.read_command();
    if (!command || command->empty()) co_return;
    if ((*command)[0] == 0x03) {
      auto sql = protocol::parse_com_query(*command);
      if (!sql) co_return;
      bool open = co_await run_query(c, s, *sql);
      if (!open) co_return;
      continue;
    }
    result<void> sent;
    if ((*command)[0] == 0x0e) {  // COM_PING
      sent = co_await c.send_ok();
    } else {
      protocol::err_packet unknown{1047, "08S01", "Unknown command"};
      sent = co_await c.send_err(unknown);
    }
    if (!sent) co_return;
  }
}

awaitable<bool> fake_downstream::run_query(protocol::server_connection& c, session& s,
                                           std::string_view sql) {
  auto parts = split_statements(sql);
  std::size_t command = ++commands_;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string& st = parts[i];
    if (auto m = search(st, R"(gtid_seq_no=(\d+))")) s.seq_no = std::stoull((*m)[1]);
    log_.push_back({s.id, command, s.seq_no, st});
    const armed_rule* r = match(s, st);
    auto action = r ? std::optional(r->rule.action) : std::nullopt;
    if (action == fake_action::hold) co_await wait_at(r->hold_gate);
    if (action == fake_action::drop) {
      c.close();
      co_return false;
    }
    if (action == fake_action::err) {
      protocol::err_packet err{r->rule.code, "HY000", r->rule.message};
      auto sent = co_await c.send_err(err);
      co_return sent.has_value();
    }
    query_result a = action == fake_action::value ? value(r->rule.message) : answer_for(s, st);
    a.ok.status_flags = protocol::status::autocommit;
    if (i + 1 < parts.size()) a.ok.status_flags |= protocol::status::more_results_exist;
    // (if/else: GCC 12 destroys a co_await's result twice inside ?:)
    result<void> sent;
    if (a.is_result_set()) {
      sent = co_await c.send_result_set(a);
    } else {
      sent = co_await c.send_ok(a.ok);
    }
    if (!sent) co_return false;
  }
  co_return true;
}

const fake_downstream::armed_rule* fake_downstream::match(const session& s,
                                                          const std::string& sql) {
  for (auto& r : rules_) {
    if (r.rule.seq_no && *r.rule.seq_no != s.seq_no) continue;
    if (!std::regex_search(sql, r.pattern)) continue;
    ++r.matches;
    if (r.rule.occurrence == 0 || r.matches == r.rule.occurrence) return &r;
  }
  return nullptr;
}

awaitable<void> fake_downstream::wait_at(gate g) {
  asio::steady_timer timer(ex_);
  ++held_;
  gate_waiters_.push_back(&timer);
  while (!gates_open_.at(g)) {
    timer.expires_after(std::chrono::hours(1));
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  gate_waiters_.erase(std::find(gate_waiters_.begin(), gate_waiters_.end(), &timer));
  --held_;
}

// The answer of a server that has binrelay's progress table and the tables add_table() gave.
query_result fake_downstream::answer_for(session& s, const std::string& sql) {
  query_result a;
  if (starts_with(sql, "SELECT @@global.max_allowed_packet")) {
    a = value("67108864");
  } else if (starts_with(sql, "SELECT GET_LOCK(")) {
    a = value("1");
  } else if (starts_with(sql, "SELECT @@global.gtid_binlog_pos")) {
    a = result_set({"pos", "state", "log_bin"}, {{"", "", "0"}});
  } else if (starts_with(sql, "SELECT relay_file, end_offset FROM binrelay.apply_progress")) {
    a = result_set({"relay_file", "end_offset"}, {});
    auto last = std::max_element(progress_.begin(), progress_.end(), [](auto& x, auto& y) {
      return std::tie(x.file_number, x.end_offset) < std::tie(y.file_number, y.end_offset);
    });
    if (last != progress_.end()) a.rows.push_back({last->file, std::to_string(last->end_offset)});
  } else if (
      auto m = search(
          sql,
          R"(information_schema\.(COLUMNS|STATISTICS) WHERE TABLE_SCHEMA = '([^']*)' AND TABLE_NAME = '([^']*)')")) {
    auto t = std::find_if(tables_.begin(), tables_.end(),
                          [&](const table& t) { return t.db == (*m)[2] && t.name == (*m)[3]; });
    bool columns = (*m)[1] == "COLUMNS";
    a = columns
            ? result_set({"COLUMN_NAME", "unsigned"}, {})
            : result_set({"INDEX_NAME", "NON_UNIQUE", "COLUMN_NAME", "NULLABLE", "SUB_PART"}, {});
    if (t != tables_.end() && columns) {
      for (const auto& c : t->columns) a.rows.push_back({c, "0"});
    } else if (t != tables_.end()) {
      a.rows.push_back({"PRIMARY", "0", t->columns.at(0), "NO", std::nullopt});
    }
  } else if (
      auto p = search(
          sql,
          R"(^REPLACE INTO binrelay\.apply_progress VALUES \((\d+),(\d+),'([^']*)',(\d+),'([^']*)'\))")) {
    s.pending = progress_row{static_cast<unsigned>(std::stoul((*p)[1])), std::stoull((*p)[2]),
                             std::stoull((*p)[4]), (*p)[3], (*p)[5]};
    a.ok.affected_rows = 1;
  } else if (sql == "COMMIT") {
    if (s.pending) {
      auto same = [&](const progress_row& r) { return r.worker == s.pending->worker; };
      progress_.erase(std::remove_if(progress_.begin(), progress_.end(), same), progress_.end());
      progress_.push_back(*s.pending);
      commits_.push_back(s.pending->gtid);
      s.pending.reset();
    }
  } else if (sql == "ROLLBACK") {
    s.pending.reset();
  } else if (search(sql, "^(INSERT|UPDATE|DELETE)")) {
    a.ok.affected_rows = 1;
  }
  return a;
}

}  // namespace binrelay::test
