#include "binlog/text_printer.h"

#include <charconv>
#include <ctime>
#include <iterator>
#include <string_view>

#include <fmt/format.h>

#include "binlog/event.h"
#include "binlog/row_format.h"
#include "binlog/transaction_payload.h"

namespace binrelay::binlog {
namespace {

using namespace std::string_view_literals;

template <class... Args>
void put(std::string& out, fmt::format_string<Args...> f, Args&&... args) {
  fmt::format_to(std::back_inserter(out), f, std::forward<Args>(args)...);
}

void append_number(std::uint64_t v, std::string& out) {
  char text[20];
  auto r = std::to_chars(text, text + sizeof text, v);
  out.append(text, std::size_t(r.ptr - text));
}

// The per-event lines below are built by appending (no format-string parsing): they are the
// hot path of printing a binlog.
void print_query(const query_event& q, std::string& out) {
  out += "Query\tthread_id="sv;
  append_number(q.thread_id, out);
  out += "\texec_time="sv;
  append_number(q.exec_time, out);
  out += "\terror_code="sv;
  append_number(q.error_code, out);
  out += '\n';
  if (!q.db.empty()) {
    out += "use `"sv;
    out += q.db;
    out += "`/*!*/;\n"sv;
  }
  out += q.text();
  out += "\n/*!*/;\n"sv;
}

void print_gtid(const gtid_event& g, std::string& out) {
  put(out, "{}\tlast_committed={}\tsequence_number={}\trbr_only={}",
      g.anonymous ? "Anonymous_GTID" : "GTID", g.last_committed, g.sequence_number,
      (g.flags & gtid_flag_may_have_sbr) ? "no" : "yes");
  if (g.original_commit_timestamp)
    put(out, "\toriginal_committed_timestamp={}", *g.original_commit_timestamp);
  if (g.immediate_commit_timestamp)
    put(out, "\timmediate_commit_timestamp={}", *g.immediate_commit_timestamp);
  if (g.transaction_length) put(out, "\ttransaction_length={}", *g.transaction_length);
  out += '\n';
  if (g.anonymous) {
    out += "SET @@SESSION.GTID_NEXT= 'ANONYMOUS'/*!*/;\n";
  } else if (g.tag.empty()) {
    put(out, "SET @@SESSION.GTID_NEXT= '{}:{}'/*!*/;\n", g.sid.to_string(), g.gno);
  } else {
    put(out, "SET @@SESSION.GTID_NEXT= '{}:{}:{}'/*!*/;\n", g.sid.to_string(), g.tag, g.gno);
  }
}

void print_mariadb_gtid(const mariadb_gtid_event& g, std::string& out) {
  out += "GTID "sv;
  append_number(g.domain_id, out);
  out += '-';
  append_number(g.server_id, out);
  out += '-';
  append_number(g.seq_no, out);
  if (g.commit_id) {
    out += " cid="sv;
    append_number(*g.commit_id, out);
  }
  if (g.flags2 & mariadb_fl_ddl) out += " ddl"sv;
  if (g.flags2 & mariadb_fl_transactional) out += " trans"sv;
  out += '\n';
}

void print_gtid_list(const mariadb_gtid_list_event& l, std::string& out) {
  out += "Gtid list [";
  for (std::size_t i = 0; i < l.gtids.size(); ++i) {
    const auto& g = l.gtids[i];
    put(out, "{}{}-{}-{}", i ? ",\n# " : "", g.domain_id, g.server_id, g.seq_no);
  }
  out += "]\n";
}

std::string_view rows_verb(rows_kind k) {
  switch (k) {
    case rows_kind::write:
      return "Write_rows";
    case rows_kind::update:
      return "Update_rows";
    case rows_kind::delete_:
      return "Delete_rows";
    case rows_kind::partial_update:
      return "Update_rows_partial";
  }
  return "Rows";
}

void print_rows_line(const rows_event& rows, std::string& out) {
  out += rows_verb(rows.kind);
  out += ": table id "sv;
  append_number(rows.table_id, out);
  if (rows.flags & rows_flag_stmt_end) out += " flags: STMT_END_F"sv;
  out += '\n';
}

void print_table_map(const table_map_event& map, std::string& out) {
  out += "Table_map: `"sv;
  out += map.db;
  out += "`.`"sv;
  out += map.table;
  out += "` mapped to number "sv;
  append_number(map.table_id, out);
  out += '\n';
}

}  // namespace

void append_event_time(std::uint32_t unix_seconds, std::string& out, bool hash_prefix) {
  std::time_t t = unix_seconds;
  std::tm tm{};
  localtime_r(&t, &tm);
  if (hash_prefix) out += '#';
  put(out, "{:02}{:02}{:02} {:2}:{:02}:{:02}", tm.tm_year % 100, tm.tm_mon + 1, tm.tm_mday,
      tm.tm_hour, tm.tm_min, tm.tm_sec);
}

result<void> text_printer::print(const raw_event& ev, const format_description& fde) {
  out_ += "# at ";
  append_number(ev.offset, out_);
  out_ += '\n';
  print_header_line(ev, fde);
  auto r = print_body(ev, fde);
  if (!r) put(out_, "# ERROR: {}\n", r.error().describe());
  return r;
}

// Hot path (once per event): no format-string parsing; the local time and server id part is
// built once per distinct (second, server id).
void text_printer::print_header_line(const raw_event& ev, const format_description& fde) {
  if (ev.header.timestamp != cached_second_ || ev.header.server_id != cached_server_id_ ||
      cached_prefix_.empty()) {
    cached_second_ = ev.header.timestamp;
    cached_server_id_ = ev.header.server_id;
    cached_prefix_.clear();
    append_event_time(ev.header.timestamp, cached_prefix_);
    cached_prefix_ += " server id "sv;
    append_number(ev.header.server_id, cached_prefix_);
    cached_prefix_ += "  end_log_pos "sv;
  }
  out_ += cached_prefix_;
  append_number(ev.header.log_pos, out_);
  out_ += ' ';
  bool has_crc = fde.checksum == checksum_alg::crc32;
  if (has_crc && ev.bytes.size() >= event_header_size + checksum_size) {
    static constexpr char hex[] = "0123456789abcdef";
    std::uint32_t crc = load_u32(ev.bytes.data() + ev.bytes.size() - checksum_size);
    char text[] = "CRC32 0x00000000 ";
    for (int i = 0; i < 8; ++i) text[8 + i] = hex[(crc >> (28 - 4 * i)) & 15];
    out_.append(text, sizeof text - 1);
  }
  out_ += '\t';
}

result<void> text_printer::print_body(const raw_event& ev, const format_description& fde) {
  const event_type type = fde.canonical_type(ev.header.type);
  if (type == event_type::table_map) {
    auto map = tables_.add(ev.bytes, fde);
    if (!map) return std::move(map).error();
    print_table_map(**map, out_);
    return {};
  }
  if (type == event_type::transaction_payload) return print_payload(ev, fde);
  auto decoded = decode_event(ev.bytes, fde);
  if (!decoded) {
    out_ += event_type_name(type);
    out_ += '\n';
    return std::move(decoded).error();
  }
  const event_body& body = decoded->body;
  if (auto* f = std::get_if<format_description>(&body)) {
    put(out_, "Start: binlog v {}, server v {} created ", f->binlog_version, f->server_version);
    append_event_time(f->create_timestamp, out_, false);
    out_ += '\n';
  } else if (auto* q = std::get_if<query_event>(&body)) {
    print_query(*q, out_);
  } else if (auto* g = std::get_if<gtid_event>(&body)) {
    print_gtid(*g, out_);
  } else if (auto* mg = std::get_if<mariadb_gtid_event>(&body)) {
    print_mariadb_gtid(*mg, out_);
  } else if (auto* gl = std::get_if<mariadb_gtid_list_event>(&body)) {
    print_gtid_list(*gl, out_);
  } else if (auto* p = std::get_if<previous_gtids_event>(&body)) {
    put(out_, "Previous-GTIDs\n# {}\n", p->gtids.to_string());
  } else if (auto* x = std::get_if<xid_event>(&body)) {
    out_ += "Xid = "sv;
    append_number(x->xid, out_);
    out_ += "\nCOMMIT/*!*/;\n"sv;
  } else if (auto* r = std::get_if<rotate_event>(&body)) {
    put(out_, "Rotate to {}  pos: {}\n", r->new_log_name, r->position);
  } else if (auto* c = std::get_if<mariadb_binlog_checkpoint_event>(&body)) {
    put(out_, "Binlog checkpoint {}\n", c->log_name);
  } else if (auto* a = std::get_if<mariadb_annotate_rows_event>(&body)) {
    out_ += "Annotate_rows:\n#Q> "sv;
    out_ += a->query;
    out_ += '\n';
  } else if (auto* rq = std::get_if<rows_query_event>(&body)) {
    put(out_, "Rows_query\n# {}\n", rq->query);
  } else if (auto* rows = std::get_if<rows_event>(&body)) {
    print_rows_line(*rows, out_);
    const table_map_event* map = tables_.find(rows->table_id);
    if (!map) {
      return make_error(errc::corrupt, "rows event refers to table id {} with no Table_map",
                        rows->table_id);
    }
    return format_rows_event(*rows, *map, out_, {}, row_text_);
  } else if (auto* h = std::get_if<heartbeat_event>(&body)) {
    put(out_, "Heartbeat{} {} pos {}\n", h->v2 ? "_v2" : "", h->log_filename, h->log_position);
  } else {
    out_ += event_type_name(type);
    out_ += '\n';
  }
  return {};
}

result<void> text_printer::print_payload(const raw_event& ev, const format_description& fde) {
  auto payload = decode_transaction_payload_event(ev.header, ev.body(fde), fde);
  if (!payload) return std::move(payload).error();
  put(out_, "Transaction_Payload\tpayload_size={}\tcompression_type={}\tuncompressed_size={}\n",
      payload->payload.size(), payload->compression == payload_compression::zstd ? "ZSTD" : "NONE",
      payload->uncompressed_size);
  return for_each_payload_event(*payload, ev, fde,
                                [this](const raw_event& e, const format_description& inner_fde) {
                                  out_ += "# (in transaction payload)\n";
                                  print_header_line(e, inner_fde);
                                  return print_body(e, inner_fde);
                                });
}

}  // namespace binrelay::binlog
