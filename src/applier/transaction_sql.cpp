#include "applier/transaction_sql.h"

#include <cctype>

#include <fmt/format.h>

#include "applier/rows_sql.h"
#include "applier/sql_literal.h"
#include "binlog/event.h"
#include "binlog/table_map_cache.h"
#include "binlog/transaction_boundary.h"

namespace binrelay::applier {
namespace {

constexpr std::string_view defaults =
    "SET SESSION sql_mode='NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION',time_zone='+00:00',"
    "timestamp=DEFAULT,collation_server=DEFAULT,collation_database=DEFAULT,"
    "auto_increment_increment=DEFAULT,auto_increment_offset=DEFAULT,"
    "foreign_key_checks=1,unique_checks=1;SET NAMES utf8mb4";

// Calls f(decoded_event) for every event of the transaction.
template <class F>
result<void> for_each_event(const relay_transaction& txn, F&& f) {
  bytes_view rest(txn.events);
  while (!rest.empty()) {
    auto ev = binlog::decode_event(rest, *txn.format);
    if (!ev) return std::move(ev).error();
    if (auto r = f(*ev); !r) return r;
    rest = rest.subspan(ev->header.event_size);
  }
  return {};
}

std::string session_vars_sql(const binlog::query_event& q, std::uint32_t timestamp) {
  std::string s = fmt::format("SET @@session.timestamp={}", timestamp);
  const auto& v = q.status;
  if (v.sql_mode) fmt::format_to(std::back_inserter(s), ",@@session.sql_mode={}", *v.sql_mode);
  if (v.charset_client) {
    fmt::format_to(std::back_inserter(s),
                   ",@@session.character_set_client={},@@session.collation_connection={},"
                   "@@session.collation_server={}",
                   *v.charset_client, *v.collation_connection, *v.collation_server);
  }
  if (v.auto_increment_increment) {
    fmt::format_to(std::back_inserter(s),
                   ",@@session.auto_increment_increment={},@@session.auto_increment_offset={}",
                   *v.auto_increment_increment, *v.auto_increment_offset);
  }
  if (v.flags2) {
    constexpr std::uint32_t no_fk = 0x04000000, relaxed_unique = 0x08000000;
    fmt::format_to(std::back_inserter(s),
                   ",@@session.foreign_key_checks={},@@session.unique_checks={}",
                   (*v.flags2 & no_fk) ? 0 : 1, (*v.flags2 & relaxed_unique) ? 0 : 1);
  }
  return s;
}

// CREATE/DROP/ALTER DATABASE name their database as the event's db, which need not exist.
bool names_database(std::string_view text) {
  std::string words;
  for (char ch : text) {
    if (words.size() >= 40) break;
    if (std::isspace(static_cast<unsigned char>(ch))) {
      if (!words.empty() && words.back() != ' ') words += ' ';
      continue;
    }
    words += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  }
  for (std::string_view verb : {"CREATE ", "DROP ", "ALTER "}) {
    if (!words.starts_with(verb)) continue;
    std::string_view rest = std::string_view(words).substr(verb.size());
    return rest.starts_with("DATABASE") || rest.starts_with("SCHEMA");
  }
  return false;
}

void append_query(const binlog::decoded_event& ev, const binlog::query_event& q, sql_batch& out) {
  statement_origin origin{"Query", std::string(q.db), "", ev.header.log_pos, 0};
  if (!q.db.empty() && !names_database(q.text())) {
    std::string use = "USE ";
    append_identifier(q.db, use);
    out.add(use, origin);
  }
  out.add(session_vars_sql(q, ev.header.timestamp), origin);
  out.add(q.text(), origin);
  out.add(defaults);
}

struct builder {
  const relay_transaction& txn;
  const schema_cache& cache;
  sql_batch& out;
  bool* ddl;
  rows_form form;
  binlog::table_map_cache maps;

  result<void> on_rows(const binlog::decoded_event& ev, const binlog::rows_event& rows) {
    const auto* map = maps.find(rows.table_id);
    if (!map) {
      return make_error(errc::corrupt, "{} at end_log_pos {} refers to unmapped table id {}",
                        binlog::event_type_name(ev.header.type), ev.header.log_pos, rows.table_id);
    }
    const auto* schema = cache.find(map->db, map->table);
    if (!schema) return make_error(errc::not_found, "no schema for {}.{}", map->db, map->table);
    statement_origin origin{std::string(binlog::event_type_name(ev.header.type)),
                            std::string(map->db), std::string(map->table), ev.header.log_pos, 0};
    return append_rows_sql(rows, *map, *schema, origin, out, form);
  }

  result<void> operator()(const binlog::decoded_event& ev) {
    if (const auto* rows = std::get_if<binlog::rows_event>(&ev.body)) return on_rows(ev, *rows);
    if (ev.header.type == binlog::event_type::table_map) {
      auto m = maps.add(ev.raw, *txn.format);
      if (!m) return std::move(m).error();
      return {};
    }
    if (const auto* q = std::get_if<binlog::query_event>(&ev.body)) {
      if (binlog::classify_query_text(q->text()) != binlog::query_kind::other) return {};
      append_query(ev, *q, out);
      *ddl = true;
      return {};
    }
    if (const auto* iv = std::get_if<binlog::intvar_event>(&ev.body)) {
      out.add(fmt::format("SET {}={}", iv->type == 1 ? "LAST_INSERT_ID" : "INSERT_ID", iv->value));
      return {};
    }
    if (const auto* r = std::get_if<binlog::rand_event>(&ev.body)) {
      out.add(fmt::format("SET @@RAND_SEED1={},@@RAND_SEED2={}", r->seed1, r->seed2));
      return {};
    }
    if (std::holds_alternative<binlog::user_var_event>(ev.body)) {
      return make_error(errc::unsupported,
                        "User_var events (statement-based replication of user "
                        "variables) cannot be applied yet");
    }
    return {};
  }
};

}  // namespace

std::string_view session_defaults_sql() {
  return defaults;
}

result<std::vector<std::pair<std::string, std::string>>> missing_tables(
    const relay_transaction& txn, const schema_cache& cache) {
  std::vector<std::pair<std::string, std::string>> out;
  auto r = for_each_event(txn, [&](const binlog::decoded_event& ev) -> result<void> {
    if (const auto* m = std::get_if<binlog::table_map_event>(&ev.body)) {
      std::pair<std::string, std::string> name(m->db, m->table);
      if (!cache.find(m->db, m->table) && std::find(out.begin(), out.end(), name) == out.end()) {
        out.push_back(std::move(name));
      }
    }
    return {};
  });
  if (!r) return std::move(r).error();
  return out;
}

result<void> build_transaction_sql(const relay_transaction& txn, const schema_cache& cache,
                                   sql_batch& out, bool* ddl, rows_form form) {
  builder b{txn, cache, out, ddl, form, {}};
  return for_each_event(txn, b);
}

}  // namespace binrelay::applier
