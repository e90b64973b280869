#include "binlog/event_filter.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "binlog/event.h"
#include "binlog/transaction_boundary.h"

namespace binrelay::binlog {
namespace {

// Statements that belong to every database: transaction control.
bool is_transaction_control(std::string_view sql) {
  if (classify_query_text(sql) != query_kind::other) return true;
  std::size_t at = 0;
  while (at < sql.size() && std::isspace(static_cast<unsigned char>(sql[at]))) ++at;
  auto starts = [&](std::string_view word) {
    if (sql.size() - at < word.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i)
      if (std::toupper(static_cast<unsigned char>(sql[at + i])) != word[i]) return false;
    return true;
  };
  return starts("XA ") || starts("SAVEPOINT");
}

}  // namespace

bool event_filter::active() const {
  const auto& o = options_;
  return o.start_position || o.stop_position || o.start_time || o.stop_time || o.database ||
         o.include_gtids || o.exclude_gtids || o.start_gtids || o.stop_gtids;
}

void event_filter::begin_file(bool first, bool last) {
  first_file_ = first;
  last_file_ = last;
}

filter_verdict event_filter::check(const raw_event& ev, const format_description& fde) {
  const event_type type = fde.canonical_type(ev.header.type);
  if (type == event_type::format_description) return filter_verdict::print;
  if (last_file_ && options_.stop_position && ev.offset >= *options_.stop_position)
    return filter_verdict::stop;
  if (options_.stop_time && ev.header.timestamp >= *options_.stop_time) return filter_verdict::stop;
  if (first_file_ && options_.start_position && ev.offset < *options_.start_position)
    return filter_verdict::skip;
  if (options_.start_time && ev.header.timestamp < *options_.start_time)
    return filter_verdict::skip;
  if (type == event_type::gtid || type == event_type::anonymous_gtid ||
      type == event_type::gtid_tagged || type == event_type::mariadb_gtid) {
    in_skipped_transaction_ = skips_transaction(ev, fde);
  }
  if (in_skipped_transaction_ && !is_control_event(type)) return filter_verdict::skip;
  if (options_.database && skips_for_database(ev, fde)) return filter_verdict::skip;
  return filter_verdict::print;
}

bool event_filter::skips_transaction(const raw_event& ev, const format_description& fde) const {
  const auto& o = options_;
  if (!o.include_gtids && !o.exclude_gtids && !o.start_gtids && !o.stop_gtids) return false;
  auto decoded = decode_event(ev.bytes, fde);
  if (!decoded) return false;
  if (const auto* g = std::get_if<gtid_event>(&decoded->body)) {
    if (g->anonymous) return o.include_gtids.has_value();
    if (o.include_gtids && !o.include_gtids->contains(g->sid, g->tag, g->gno)) return true;
    if (o.exclude_gtids && o.exclude_gtids->contains(g->sid, g->tag, g->gno)) return true;
    return false;
  }
  if (const auto* mg = std::get_if<mariadb_gtid_event>(&decoded->body)) {
    const gtid::mariadb_gtid g = mg->gtid();
    if (o.start_gtids && o.start_gtids->contains(g)) return true;
    if (o.stop_gtids) {
      const gtid::mariadb_gtid* stop = o.stop_gtids->get(g.domain_id);
      if (stop && g.seq_no > stop->seq_no) return true;
    }
  }
  return false;
}

bool event_filter::skips_for_database(const raw_event& ev, const format_description& fde) {
  const event_type type = fde.canonical_type(ev.header.type);
  if (type != event_type::table_map && type != event_type::query && !is_rows_event(type))
    return false;
  auto decoded = decode_event(ev.bytes, fde);
  if (!decoded) return false;
  if (const auto* map = std::get_if<table_map_event>(&decoded->body)) {
    if (map->db == *options_.database) {
      skipped_tables_.erase(map->table_id);
      return false;
    }
    skipped_tables_.insert(map->table_id);
    return true;
  }
  if (const auto* rows = std::get_if<rows_event>(&decoded->body))
    return skipped_tables_.count(rows->table_id) != 0;
  if (const auto* q = std::get_if<query_event>(&decoded->body))
    return !q->db.empty() && q->db != *options_.database && !is_transaction_control(q->text());
  return false;
}

}  // namespace binrelay::binlog
