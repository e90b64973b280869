#include "binlog/json_printer.h"

#include <iterator>

#include <fmt/format.h>

#include "binlog/event.h"
#include "binlog/json_binary.h"
#include "binlog/row_format.h"
#include "binlog/row_values.h"
#include "binlog/transaction_payload.h"

namespace binrelay::binlog {
namespace {

template <class... Args>
void put(std::string& out, fmt::format_string<Args...> f, Args&&... args) {
  fmt::format_to(std::back_inserter(out), f, std::forward<Args>(args)...);
}

void key(std::string& out, std::string_view k) {
  out += ",\"";
  out += k;
  out += "\":";
}

void key_string(std::string& out, std::string_view k, std::string_view v) {
  key(out, k);
  append_json_string(v, out);
}

void append_value(const column_info& c, const column_value& v, std::string& out) {
  switch (v.kind) {
    case value_kind::null:
      out += "null";
      return;
    case value_kind::int_:
      put(out, "{}", v.i);
      return;
    case value_kind::uint_:
      if (c.type == column_type::enum_ || c.type == column_type::set) break;
      put(out, "{}", v.u);
      return;
    case value_kind::json:
      if (json_binary_to_text(v.bytes, out)) return;
      out += "null";
      return;
    case value_kind::string:
      append_json_string(as_string_view(v.bytes), out);
      return;
    default:
      break;
  }
  std::string text;
  format_value(c, v, text);
  append_json_string(text, out);
}

void append_image(const table_map_event& map, const row_image& image, std::string& out) {
  out += '{';
  bool first = true;
  for (std::size_t i = 0; i < image.size() && i < map.columns.size(); ++i) {
    if (image[i].kind == value_kind::absent) continue;
    if (!first) out += ',';
    first = false;
    const column_info& c = map.columns[i];
    if (c.name.empty()) {
      put(out, "\"@{}\":", i + 1);
    } else {
      append_json_string(c.name, out);
      out += ':';
    }
    append_value(c, image[i], out);
  }
  out += '}';
}

result<void> append_rows(const rows_event& ev, const table_map_event& map, std::string& out) {
  key_string(out, "db", map.db);
  key_string(out, "table", map.table);
  key(out, "rows");
  out += '[';
  row_reader reader(ev, map);
  row_change change;
  for (bool first = true; !reader.done(); first = false) {
    auto r = reader.next(change);
    if (!r) {
      out += ']';
      return r;
    }
    out += first ? "{" : ",{";
    if (ev.has_before_image()) {
      out += "\"before\":";
      append_image(map, change.before, out);
    }
    if (ev.has_after_image()) {
      out += ev.has_before_image() ? ",\"after\":" : "\"after\":";
      append_image(map, change.after, out);
    }
    out += '}';
  }
  out += ']';
  return {};
}

void append_gtid(const gtid_event& g, std::string& out) {
  if (!g.anonymous) {
    key_string(out, "gtid",
               g.tag.empty() ? fmt::format("{}:{}", g.sid.to_string(), g.gno)
                             : fmt::format("{}:{}:{}", g.sid.to_string(), g.tag, g.gno));
  }
  if (g.has_logical_clock()) {
    put(out, ",\"last_committed\":{},\"sequence_number\":{}", g.last_committed, g.sequence_number);
  }
  if (g.immediate_commit_timestamp) {
    put(out, ",\"immediate_commit_timestamp\":{}", *g.immediate_commit_timestamp);
  }
  if (g.transaction_length) put(out, ",\"transaction_length\":{}", *g.transaction_length);
}

}  // namespace

result<void> json_printer::print(const raw_event& ev, const format_description& fde) {
  return print_event(ev, fde, false);
}

result<void> json_printer::print_event(const raw_event& ev, const format_description& fde,
                                       bool in_payload) {
  const event_header& h = ev.header;
  put(out_,
      "{{\"pos\":{},\"end_log_pos\":{},\"type\":\"{}\",\"type_code\":{},\"server_id\":{},"
      "\"timestamp\":{},\"size\":{}",
      ev.offset, h.log_pos, event_type_name(h.type), static_cast<int>(h.type), h.server_id,
      h.timestamp, h.event_size);
  auto r = print_fields(ev, fde);
  if (!r) key_string(out_, "error", r.error().describe());
  if (in_payload) out_ += ",\"in_payload\":true";
  out_ += "}\n";
  if (r && h.type == event_type::transaction_payload) r = print_payload(ev, fde);
  return r;
}

result<void> json_printer::print_fields(const raw_event& ev, const format_description& fde) {
  if (fde.canonical_type(ev.header.type) == event_type::table_map) {
    auto map = tables_.add(ev.bytes, fde);
    if (!map) return std::move(map).error();
    key_string(out_, "db", (*map)->db);
    key_string(out_, "table", (*map)->table);
    put(out_, ",\"table_id\":{},\"columns\":{}", (*map)->table_id, (*map)->columns.size());
    return {};
  }
  if (ev.header.type == event_type::transaction_payload) return {};
  auto decoded = decode_event(ev.bytes, fde);
  if (!decoded) return std::move(decoded).error();
  const event_body& body = decoded->body;
  if (auto* f = std::get_if<format_description>(&body)) {
    key_string(out_, "server_version", f->server_version);
    key_string(out_, "checksum", f->checksum == checksum_alg::crc32 ? "CRC32" : "NONE");
    put(out_, ",\"created\":{}", f->create_timestamp);
  } else if (auto* q = std::get_if<query_event>(&body)) {
    key_string(out_, "db", q->db);
    key_string(out_, "query", q->text());
  } else if (auto* g = std::get_if<gtid_event>(&body)) {
    append_gtid(*g, out_);
  } else if (auto* mg = std::get_if<mariadb_gtid_event>(&body)) {
    key_string(out_, "gtid", fmt::format("{}-{}-{}", mg->domain_id, mg->server_id, mg->seq_no));
    if (mg->commit_id) put(out_, ",\"commit_id\":{}", *mg->commit_id);
  } else if (auto* gl = std::get_if<mariadb_gtid_list_event>(&body)) {
    key(out_, "gtid_list");
    out_ += '[';
    for (std::size_t i = 0; i < gl->gtids.size(); ++i) {
      if (i) out_ += ',';
      append_json_string(gl->gtids[i].to_string(), out_);
    }
    out_ += ']';
  } else if (auto* cp = std::get_if<mariadb_binlog_checkpoint_event>(&body)) {
    key_string(out_, "log_name", cp->log_name);
  } else if (auto* p = std::get_if<previous_gtids_event>(&body)) {
    key_string(out_, "previous_gtids", p->gtids.to_string());
  } else if (auto* x = std::get_if<xid_event>(&body)) {
    put(out_, ",\"xid\":{}", x->xid);
  } else if (auto* rot = std::get_if<rotate_event>(&body)) {
    key_string(out_, "new_log", rot->new_log_name);
    put(out_, ",\"position\":{}", rot->position);
  } else if (auto* a = std::get_if<mariadb_annotate_rows_event>(&body)) {
    key_string(out_, "query", a->query);
  } else if (auto* rows = std::get_if<rows_event>(&body)) {
    const table_map_event* map = tables_.find(rows->table_id);
    if (!map) {
      return make_error(errc::corrupt, "rows event refers to table id {} with no Table_map",
                        rows->table_id);
    }
    return append_rows(*rows, *map, out_);
  }
  return {};
}

result<void> json_printer::print_payload(const raw_event& ev, const format_description& fde) {
  auto payload = decode_transaction_payload_event(ev.header, ev.body(fde), fde);
  if (!payload) return std::move(payload).error();
  return for_each_payload_event(*payload, ev, fde,
                                [this](const raw_event& e, const format_description& inner_fde) {
                                  return print_event(e, inner_fde, true);
                                });
}

}  // namespace binrelay::binlog
