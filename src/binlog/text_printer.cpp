#include "binlog/text_printer.h"

#include <charconv>
#include <ctime>
#include <iterator>
#include <string_view>

#include <fmt/format.h>

#include "binlog/event.h"
#include "binlog/row_format.h"
#include "binlog/transaction_payload.h"
#include "common/base64.h"

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
void print_query_line(const query_event& q, bool mariadb, std::string& out) {
  out += "Query\tthread_id="sv;
  append_number(q.thread_id, out);
  out += "\texec_time="sv;
  append_number(q.exec_time, out);
  out += "\terror_code="sv;
  append_number(q.error_code, out);
  if (q.status.ddl_xid) {
    out += "\tXid = "sv;
    append_number(*q.status.ddl_xid, out);
  }
  if (mariadb) {  // mariadb-binlog shows the Xid status variable, 0 when absent
    out += "\txid="sv;
    append_number(q.status.mariadb_xid.value_or(0), out);
  }
  out += '\n';
}

void print_gtid_line(const gtid_event& g, std::string& out) {
  out += g.anonymous ? "Anonymous_GTID\tlast_committed="sv : "GTID\tlast_committed="sv;
  append_number(std::uint64_t(g.last_committed), out);
  out += "\tsequence_number="sv;
  append_number(std::uint64_t(g.sequence_number), out);
  out += (g.flags & gtid_flag_may_have_sbr) ? "\trbr_only=no"sv : "\trbr_only=yes"sv;
  if (g.immediate_commit_timestamp) {
    // Absent on disk when equal to the immediate one; mysqlbinlog prints it anyway.
    out += "\toriginal_committed_timestamp="sv;
    append_number(g.original_commit_timestamp.value_or(*g.immediate_commit_timestamp), out);
    out += "\timmediate_commit_timestamp="sv;
    append_number(*g.immediate_commit_timestamp, out);
  }
  if (g.transaction_length) {
    out += "\ttransaction_length="sv;
    append_number(*g.transaction_length, out);
  }
  out += '\n';
}

void print_mariadb_gtid_line(const mariadb_gtid_event& g, std::string& out) {
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

void print_previous_gtids(const previous_gtids_event& p, std::string& out) {
  out += "Previous-GTIDs\n# "sv;
  out += p.gtids.empty() ? "[empty]" : p.gtids.to_string();
  out += '\n';
}

// Each line of a statement as a comment, "#Q> " (MariaDB Annotate_rows) or "# " (Rows_query).
void print_commented(std::string_view text, std::string_view prefix, std::string& out) {
  for (std::size_t at = 0; at <= text.size();) {
    std::size_t nl = std::min(text.find('\n', at), text.size());
    out += prefix;
    out.append(text.data() + at, nl - at);
    out += '\n';
    at = nl + 1;
  }
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

void append_base64_lines(bytes_view data, std::string& out) {
  constexpr std::size_t line_bytes = 57;  // 76 base64 characters
  for (std::size_t at = 0; at < data.size(); at += line_bytes) {
    base64_append(data.subspan(at, std::min(line_bytes, data.size() - at)), out);
    out += '\n';
  }
}

void text_printer::begin() {
  out_ +=
      "/*!50530 SET @@SESSION.PSEUDO_SLAVE_MODE=1*/;\n"
      "/*!50003 SET @OLD_COMPLETION_TYPE=@@COMPLETION_TYPE,COMPLETION_TYPE=0*/;\n"
      "DELIMITER /*!*/;\n"sv;
}

void text_printer::end_file() {
  if (!statement_base64_.empty() || statement_counted_) flush_statement(mariadb_);
  session_.print_gtid_next_automatic(out_);
}

void text_printer::end() {
  end_file();
  out_ += "DELIMITER ;\n# End of log file\n"sv;
  if (mariadb_) out_ += "ROLLBACK /* added by binrelay-inspect */;\n"sv;
  out_ +=
      "/*!50003 SET COMPLETION_TYPE=@OLD_COMPLETION_TYPE*/;\n"
      "/*!50530 SET @@SESSION.PSEUDO_SLAVE_MODE=0*/;\n"sv;
}

result<void> text_printer::print(const raw_event& ev, const format_description& fde) {
  out_ += "# at "sv;
  if (cached_end_pos_len_ && ev.offset == cached_end_pos_) {
    out_.append(cached_end_pos_text_, cached_end_pos_len_);
  } else {
    append_number(ev.offset, out_);
  }
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
  auto end_pos = std::to_chars(
      cached_end_pos_text_, cached_end_pos_text_ + sizeof cached_end_pos_text_, ev.header.log_pos);
  cached_end_pos_ = ev.header.log_pos;
  cached_end_pos_len_ = std::uint8_t(end_pos.ptr - cached_end_pos_text_);
  out_.append(cached_end_pos_text_, cached_end_pos_len_);
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
  if (type == event_type::table_map || is_rows_event(type)) return print_row_event(ev, fde);
  // Anything else ends a statement whose rows event lacked STMT_END_F (a damaged binlog).
  if (!statement_base64_.empty() || statement_counted_) flush_statement(fde.is_mariadb());
  if (type == event_type::transaction_payload) return print_payload(ev, fde);
  auto decoded = decode_event(ev.bytes, fde);
  if (!decoded) {
    out_ += event_type_name(type);
    out_ += '\n';
    return std::move(decoded).error();
  }
  const event_body& body = decoded->body;
  if (auto* f = std::get_if<format_description>(&body)) {
    print_format_description(ev, *f);
  } else if (auto* q = std::get_if<query_event>(&body)) {
    print_query_line(*q, fde.is_mariadb(), out_);
    session_.print_query(*q, ev.header.timestamp, ev.header.flags, fde.is_mariadb(), out_);
  } else if (auto* g = std::get_if<gtid_event>(&body)) {
    print_gtid_line(*g, out_);
    session_.print_gtid(*g, !options_.skip_gtids, out_);
  } else if (auto* mg = std::get_if<mariadb_gtid_event>(&body)) {
    print_mariadb_gtid_line(*mg, out_);
    session_.print_mariadb_gtid(*mg, !options_.skip_gtids, out_);
  } else if (auto* gl = std::get_if<mariadb_gtid_list_event>(&body)) {
    print_gtid_list(*gl, out_);
  } else if (auto* p = std::get_if<previous_gtids_event>(&body)) {
    print_previous_gtids(*p, out_);
  } else if (auto* x = std::get_if<xid_event>(&body)) {
    out_ += "Xid = "sv;
    append_number(x->xid, out_);
    out_ += "\nCOMMIT/*!*/;\n"sv;
  } else if (auto* r = std::get_if<rotate_event>(&body)) {
    put(out_, "Rotate to {}  pos: {}\n", r->new_log_name, r->position);
  } else if (auto* c = std::get_if<mariadb_binlog_checkpoint_event>(&body)) {
    put(out_, "Binlog checkpoint {}\n", c->log_name);
  } else if (auto* a = std::get_if<mariadb_annotate_rows_event>(&body)) {
    out_ += "Annotate_rows:\n"sv;
    print_commented(a->query, "#Q> "sv, out_);
  } else if (auto* rq = std::get_if<rows_query_event>(&body)) {
    out_ += "Rows_query\n"sv;
    print_commented(rq->query, "# "sv, out_);
  } else if (auto* iv = std::get_if<intvar_event>(&body)) {
    put(out_, "Intvar\nSET {}={}/*!*/;\n", iv->type == 1 ? "LAST_INSERT_ID" : "INSERT_ID",
        iv->value);
  } else if (auto* rd = std::get_if<rand_event>(&body)) {
    put(out_, "Rand\nSET @@RAND_SEED1={}, @@RAND_SEED2={}/*!*/;\n", rd->seed1, rd->seed2);
  } else if (auto* h = std::get_if<heartbeat_event>(&body)) {
    put(out_, "Heartbeat{} {} pos {}\n", h->v2 ? "_v2" : "", h->log_filename, h->log_position);
  } else {
    out_ += event_type_name(type);
    out_ += '\n';
  }
  return {};
}

// mysqlbinlog prints the FDE's own time only for a server's first binlog ("at startup",
// create_timestamp set; a ROLLBACK then ends what a crash left open); other files show the
// event time.
void text_printer::print_format_description(const raw_event& ev, const format_description& f) {
  mariadb_ = f.is_mariadb();
  put(out_, "Start: binlog v {}, server v {} created ", f.binlog_version, f.server_version);
  append_event_time(f.create_timestamp ? f.create_timestamp : ev.header.timestamp, out_, false);
  out_ += f.create_timestamp ? " at startup\n"sv : "\n"sv;
  if (ev.header.flags & flag_binlog_in_use)
    out_ += "# Warning: this binlog is either in use or was not closed properly.\n"sv;
  if (f.create_timestamp) out_ += "ROLLBACK/*!*/;\n"sv;
  if (options_.base64 != base64_output::automatic) return;
  out_ += "BINLOG '\n"sv;
  append_base64_lines(ev.bytes, out_);
  out_ += "'/*!*/;\n"sv;
}

// Table_map and rows events: their header lines now; their BINLOG block (and, under AUTO, their
// `###` rows) when the statement ends.
result<void> text_printer::print_row_event(const raw_event& ev, const format_description& fde) {
  const bool automatic = options_.base64 == base64_output::automatic;
  if (fde.canonical_type(ev.header.type) == event_type::table_map) {
    auto map = tables_.add(ev.bytes, fde);
    if (!map) return std::move(map).error();
    print_table_map(**map, out_);
    if (automatic) append_base64_lines(ev.bytes, statement_base64_);
    return {};
  }
  auto decoded = decode_event(ev.bytes, fde);
  if (!decoded) return std::move(decoded).error();
  const auto& rows = std::get<rows_event>(decoded->body);
  print_rows_line(rows, out_);
  if (options_.base64 == base64_output::never) {
    return make_error(errc::unsupported,
                      "--base64-output=never, but the binlog has a {} event, which can only be "
                      "printed in base64",
                      event_type_name(rows.type));
  }
  const table_map_event* map = tables_.find(rows.table_id);
  if (!map) {
    return make_error(errc::corrupt, "rows event refers to table id {} with no Table_map",
                      rows.table_id);
  }
  if (automatic) append_base64_lines(ev.bytes, statement_base64_);
  result<void> r;
  if (options_.verbosity > 0) {
    row_format_options opt;
    opt.type_comments = options_.verbosity > 1;
    opt.quoting = fde.is_mariadb() ? quote_style::mariadb : quote_style::mysql;
    r = format_rows_event(rows, *map, automatic ? statement_rows_ : out_, opt, row_text_,
                          &statement_row_count_);
    statement_counted_ = true;
  } else if (fde.is_mariadb()) {  // mariadb-binlog counts rows without -v, mysqlbinlog does not
    if (auto n = count_rows(rows, *map); n) {
      statement_row_count_ += *n;
      statement_counted_ = true;
    } else {
      r = std::move(n).error();
    }
  }
  if (rows.flags & rows_flag_stmt_end) flush_statement(fde.is_mariadb());
  return r;
}

void text_printer::flush_statement(bool mariadb) {
  if (!statement_base64_.empty()) {
    out_ += mariadb ? "BINLOG '\n"sv : "\nBINLOG '\n"sv;
    out_ += statement_base64_;
    out_ += "'/*!*/;\n"sv;
    out_ += statement_rows_;
  }
  if (statement_counted_) {
    out_ += "# Number of rows: "sv;
    append_number(statement_row_count_, out_);
    out_ += '\n';
  }
  statement_base64_.clear();
  statement_rows_.clear();
  statement_row_count_ = 0;
  statement_counted_ = false;
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
