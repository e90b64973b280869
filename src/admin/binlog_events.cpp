#include "admin/binlog_events.h"

#include <fmt/format.h>

#include "binlog/event_type.h"
#include "binlog/file_reader.h"
#include "protocol/server_result_set.h"

namespace binrelay::admin {
namespace {

using namespace binlog;

std::string query_info(const query_event& q) {
  if (q.db.empty()) return std::string(q.text());
  return fmt::format("use `{}`; {}", q.db, q.text());
}

std::string mariadb_gtid_info(const mariadb_gtid_event& g, std::uint32_t server_id) {
  bool standalone = (g.flags2 & mariadb_fl_standalone) != 0;
  return fmt::format("{}GTID {}-{}-{}", standalone ? "" : "BEGIN ", g.domain_id, server_id,
                     g.seq_no);
}

std::string gtid_list_info(const mariadb_gtid_list_event& l) {
  std::string out = "[";
  for (std::size_t i = 0; i < l.gtids.size(); ++i) {
    if (i) out += ',';
    out += l.gtids[i].to_string();
  }
  return out + "]";
}

protocol::result_set empty_events_result() {
  using protocol::integer_column;
  using protocol::text_column;
  return protocol::result_set({text_column("Log_name"), integer_column("Pos", true),
                               text_column("Event_type"), integer_column("Server_id", true),
                               integer_column("End_log_pos", true), text_column("Info", 1024)});
}

error wrong_offset() {
  error e =
      make_error(errc::invalid_argument,
                 "Error when executing command SHOW BINLOG EVENTS: Wrong offset or I/O error");
  e.server_errno = 1220;  // ER_ERROR_WHEN_EXECUTING_COMMAND
  return e;
}

// Decodes and renders one event into `rs`.
void add_event_row(protocol::result_set& rs, const binlog_events_request& request,
                   const raw_event& ev, const format_description& fde) {
  event_type type = fde.canonical_type(ev.header.type);
  auto decoded = decode_event(ev.bytes, fde);
  std::string info = decoded ? binlog_event_info(*decoded) : decoded.error().describe();
  rs.add_row({request.name, std::to_string(ev.offset), std::string(event_type_name(type)),
              std::to_string(ev.header.server_id), std::to_string(ev.header.log_pos), info});
}

}  // namespace

std::string binlog_event_info(const decoded_event& e) {
  const event_body& b = e.body;
  if (auto* f = std::get_if<format_description>(&b)) {
    return fmt::format("Server ver: {}, Binlog ver: {}", f->server_version, f->binlog_version);
  }
  if (auto* q = std::get_if<query_event>(&b)) return query_info(*q);
  if (auto* g = std::get_if<gtid_event>(&b)) {
    return fmt::format("SET @@SESSION.GTID_NEXT= '{}:{}'", g->sid.to_string(), g->gno);
  }
  if (auto* g = std::get_if<mariadb_gtid_event>(&b))
    return mariadb_gtid_info(*g, e.header.server_id);
  if (auto* l = std::get_if<mariadb_gtid_list_event>(&b)) return gtid_list_info(*l);
  if (auto* p = std::get_if<previous_gtids_event>(&b)) return p->gtids.to_string();
  if (auto* x = std::get_if<xid_event>(&b)) return fmt::format("COMMIT /* xid={} */", x->xid);
  if (auto* r = std::get_if<rotate_event>(&b))
    return fmt::format("{};pos={}", r->new_log_name, r->position);
  if (auto* c = std::get_if<mariadb_binlog_checkpoint_event>(&b)) return std::string(c->log_name);
  if (auto* a = std::get_if<mariadb_annotate_rows_event>(&b)) return std::string(a->query);
  if (auto* rq = std::get_if<rows_query_event>(&b)) return fmt::format("# {}", rq->query);
  if (auto* t = std::get_if<table_map_event>(&b)) {
    return fmt::format("table_id: {} ({}.{})", t->table_id, t->db, t->table);
  }
  if (auto* r = std::get_if<rows_event>(&b)) {
    return fmt::format("table_id: {}{}", r->table_id,
                       (r->flags & rows_flag_stmt_end) ? " flags: STMT_END_F" : "");
  }
  if (auto* h = std::get_if<heartbeat_event>(&b)) {
    return fmt::format("{};pos={}", h->log_filename, h->log_position);
  }
  return "";
}

protocol::query_result no_binlog_events() {
  return empty_events_result().release();
}

result<protocol::query_result> show_binlog_events(const binlog_events_request& request) {
  auto reader = file_reader::open(request.path);
  if (!reader) return std::move(reader).error();
  protocol::result_set rs = empty_events_result();
  std::uint64_t skipped = 0;
  bool found_start = request.from <= 4;
  while (!request.limit || rs.row_count() < *request.limit) {
    if (reader->position() >= request.readable_size) break;
    auto ev = reader->next();
    if (!ev) return std::move(ev).error();
    if (!*ev) break;
    if ((*ev)->offset < request.from) continue;
    if ((*ev)->offset == request.from) found_start = true;
    if (!found_start) return wrong_offset();
    if (skipped++ < request.offset) continue;
    add_event_row(rs, request, **ev, reader->format());
  }
  if (!found_start) return wrong_offset();
  return rs.release();
}

}  // namespace binrelay::admin
