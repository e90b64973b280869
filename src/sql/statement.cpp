#include "sql/statement.h"

#include <fmt/format.h>

namespace binrelay::sql {
namespace {

std::string quote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string scoped(std::string_view name, var_scope scope) {
  switch (scope) {
    case var_scope::global:
      return fmt::format("@@global.{}", name);
    case var_scope::session:
      return fmt::format("@@session.{}", name);
    case var_scope::none:
      break;
  }
  return fmt::format("@@{}", name);
}

void append(std::string& out, const expression& e);

void append_joined(std::string& out, const std::vector<expression>& items) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    append(out, items[i]);
  }
}

// Appends to one string, so printing is linear in the size of the tree; recursion is as deep
// as the tree, which the parser keeps within max_expression_height (sql/limits.h).
void append(std::string& out, const expression& e) {
  using k = expression::kind;
  switch (e.type) {
    case k::string:
      out += quote(e.text);
      return;
    case k::number:
    case k::identifier:
      out += e.text;
      return;
    case k::null:
      out += "NULL";
      return;
    case k::user_variable:
      out += "@";
      out += e.text;
      return;
    case k::system_variable:
      out += scoped(e.text, e.scope);
      return;
    case k::function_call:
      out += e.text;
      out += "(";
      append_joined(out, e.args);
      out += ")";
      return;
    case k::unary:
      out += "(" + e.text + " ";
      append(out, e.args.at(0));
      out += ")";
      return;
    case k::binary:
      out += "(" + e.text + " ";
      append(out, e.args.at(0));
      out += " ";
      append(out, e.args.at(1));
      out += ")";
      return;
    case k::list:
      out += "(";
      append_joined(out, e.args);
      out += ")";
      return;
  }
}

std::string words(wording w, std::string_view legacy, std::string_view modern) {
  return std::string(w == wording::legacy ? legacy : modern);
}

std::string threads(replica_threads t) {
  switch (t) {
    case replica_threads::io:
      return " io_thread";
    case replica_threads::sql:
      return " sql_thread";
    case replica_threads::both:
      break;
  }
  return "";
}

std::string assignment(const set_assignment& a) {
  using t = set_assignment::target_kind;
  switch (a.target) {
    case t::names:
      return "NAMES " + a.name + (a.collation.empty() ? "" : " COLLATE " + a.collation);
    case t::character_set:
      return "CHARACTER SET " + a.name;
    case t::user_variable:
      return "@" + a.name + " = " + to_string(a.value);
    case t::system_variable:
      return scoped(a.name, a.scope) + " = " + to_string(a.value);
  }
  return "";
}

struct printer {
  std::string operator()(const set_statement& s) const {
    std::string out;
    for (const auto& a : s.assignments) out += (out.empty() ? "" : ", ") + assignment(a);
    return "(set " + out + ")";
  }
  std::string operator()(const select_statement& s) const {
    std::string out;
    for (const auto& item : s.items) {
      out += (out.empty() ? "" : ", ") + to_string(item.value);
      if (!item.alias.empty()) out += " AS " + item.alias;
    }
    if (!s.from.empty()) out += " from " + s.from;
    if (s.limit) out += fmt::format(" limit {}", *s.limit);
    return "(select " + out + ")";
  }
  std::string operator()(const show_variables_statement& s) const {
    std::string out = s.status ? "(show-status" : "(show-variables";
    if (s.scope == var_scope::global) out += " global";
    if (s.scope == var_scope::session) out += " session";
    if (s.like) out += " like " + quote(*s.like);
    if (s.where) out += " where " + to_string(*s.where);
    return out + ")";
  }
  std::string operator()(const show_replica_status_statement& s) const {
    if (s.all) return "(show-all-slaves-status)";
    return "(show-replica-status " + words(s.words, "slave", "replica") + ")";
  }
  std::string operator()(const show_master_status_statement&) const {
    return "(show-master-status)";
  }
  std::string operator()(const show_binary_logs_statement&) const { return "(show-binary-logs)"; }
  std::string operator()(const show_binlog_events_statement& s) const {
    std::string out = "(show-binlog-events";
    if (s.file) out += " in " + quote(*s.file);
    if (s.from) out += fmt::format(" from {}", *s.from);
    if (s.offset) out += fmt::format(" offset {}", *s.offset);
    if (s.limit) out += fmt::format(" limit {}", *s.limit);
    return out + ")";
  }
  std::string operator()(const show_replicas_statement& s) const {
    return "(show-replicas " + words(s.words, "slave", "replica") + ")";
  }
  std::string operator()(const show_replica_sources_statement&) const {
    return "(show-replica-sources)";
  }
  std::string operator()(const replica_control_statement& s) const {
    return fmt::format("({}-replica {}{})", s.start ? "start" : "stop",
                       words(s.words, "slave", "replica"), threads(s.threads));
  }
  std::string operator()(const change_source_statement& s) const {
    std::string out;
    for (const auto& o : s.options)
      out += (out.empty() ? "" : ", ") + o.name + " = " + to_string(o.value);
    return "(change-source " + words(s.words, "master", "source") + " " + out + ")";
  }
  std::string operator()(const flush_binary_logs_statement&) const { return "(flush-binary-logs)"; }
  std::string operator()(const show_processlist_statement& s) const {
    return s.full ? "(show-full-processlist)" : "(show-processlist)";
  }
  std::string operator()(const shutdown_statement&) const { return "(shutdown)"; }
  std::string operator()(const kill_statement& s) const { return fmt::format("(kill {})", s.id); }
  std::string operator()(const purge_binary_logs_statement& s) const {
    if (s.to_file) return "(purge-binary-logs to " + quote(*s.to_file) + ")";
    return "(purge-binary-logs before " + (s.before ? to_string(*s.before) : "") + ")";
  }
  std::string operator()(const reset_replica_statement& s) const {
    return "(reset-replica " + words(s.words, "slave", "replica") + (s.all ? " all" : "") + ")";
  }
  std::string operator()(const begin_statement&) const { return "(begin)"; }
  std::string operator()(const commit_statement&) const { return "(commit)"; }
};

}  // namespace

std::string to_string(const expression& e) {
  std::string out;
  append(out, e);
  return out;
}

std::string to_string(const statement& s) {
  return std::visit(printer{}, s);
}

}  // namespace binrelay::sql
