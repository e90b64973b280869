#include "binlog/transaction_boundary.h"

#include <cctype>

namespace binrelay::binlog {

namespace {

// True if `text` starts with `word` (case-insensitive) followed by the end, a space or ';'.
bool starts_with_word(std::string_view text, std::string_view word) {
  if (text.size() < word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(text[i])) != word[i]) return false;
  }
  if (text.size() == word.size()) return true;
  char next = text[word.size()];
  return std::isspace(static_cast<unsigned char>(next)) || next == ';';
}

std::string_view skip_space(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

bool is_pre_statement(event_type t) {
  switch (t) {
    case event_type::intvar:
    case event_type::rand:
    case event_type::user_var:
    case event_type::table_map:
    case event_type::rows_query:
    case event_type::mariadb_annotate_rows:
    case event_type::begin_load_query:
    case event_type::append_block:
    case event_type::create_file:
      return true;
    default:
      return false;
  }
}

}  // namespace

query_kind classify_query_text(std::string_view query) {
  std::string_view q = skip_space(query);
  if (starts_with_word(q, "BEGIN")) return query_kind::begin;
  if (starts_with_word(q, "COMMIT")) return query_kind::commit;
  if (starts_with_word(q, "ROLLBACK")) {
    std::string_view rest = skip_space(q.substr(8));
    return starts_with_word(rest, "TO") ? query_kind::other : query_kind::rollback;
  }
  if (starts_with_word(q, "XA")) {
    if (starts_with_word(skip_space(q.substr(2)), "START")) return query_kind::begin;
  }
  return query_kind::other;
}

query_kind classify_query_event(bytes_view body, const format_description& fde) {
  // Post-header: thread_id u32 | exec_time u32 | db_len u8 | error_code u16 | status_len u16.
  std::size_t post = fde.post_header_length(event_type::query);
  if (post < 11) post = 11;
  if (body.size() < post) return query_kind::other;
  std::size_t db_len = body[8];
  std::size_t status_len = post >= 13 ? load_u16(body.data() + 11) : 0;
  std::size_t text_at = post + status_len + db_len + 1;
  if (text_at > body.size()) return query_kind::other;
  return classify_query_text(as_string_view(body.subspan(text_at)));
}

std::string_view to_string(event_role r) {
  switch (r) {
    case event_role::control:
      return "control";
    case event_role::begins:
      return "begins";
    case event_role::continues:
      return "continues";
    case event_role::ends:
      return "ends";
    case event_role::whole:
      return "whole";
    case event_role::broken:
      return "broken";
  }
  return "?";
}

bool is_control_event(event_type t) {
  switch (t) {
    case event_type::format_description:
    case event_type::rotate:
    case event_type::stop:
    case event_type::previous_gtids:
    case event_type::heartbeat:
    case event_type::heartbeat_v2:
    case event_type::mariadb_gtid_list:
    case event_type::mariadb_binlog_checkpoint:
    case event_type::start_v3:
      return true;
    default:
      return false;
  }
}

event_role transaction_boundary::step(const boundary_event& e) {
  if (is_control_event(e.type)) return event_role::control;
  switch (e.type) {
    case event_type::gtid:
    case event_type::anonymous_gtid:
    case event_type::gtid_tagged:
    case event_type::mariadb_gtid:
      return on_gtid(e);
    case event_type::query:
      return on_query(e.query);
    case event_type::xid:
    case event_type::xa_prepare:
      return on_terminator();
    default:
      return is_pre_statement(e.type) ? on_pre_statement() : on_statement();
  }
}

event_role transaction_boundary::on_gtid(const boundary_event& e) {
  if (state_ != state::none) return event_role::broken;
  bool mariadb_group =
      e.type == event_type::mariadb_gtid && (e.mariadb_flags2 & mariadb_fl_standalone) == 0;
  state_ = mariadb_group ? state::in_dml : state::after_gtid;
  return event_role::begins;
}

event_role transaction_boundary::on_query(query_kind k) {
  switch (k) {
    case query_kind::begin:
      if (state_ == state::none) {
        state_ = state::in_dml;
        return event_role::begins;
      }
      if (state_ == state::after_gtid) {
        state_ = state::in_dml;
        return event_role::continues;
      }
      return event_role::broken;
    case query_kind::commit:
    case query_kind::rollback:
      if (state_ == state::none) return event_role::whole;
      state_ = state::none;
      return event_role::ends;
    case query_kind::other:
      return on_statement();
  }
  return event_role::broken;
}

event_role transaction_boundary::on_terminator() {
  if (state_ != state::in_dml) return event_role::broken;
  state_ = state::none;
  return event_role::ends;
}

event_role transaction_boundary::on_pre_statement() {
  switch (state_) {
    case state::none:
      state_ = state::before_statement;
      return event_role::begins;
    case state::after_gtid:
      state_ = state::before_statement;
      return event_role::continues;
    case state::before_statement:
    case state::in_dml:
      return event_role::continues;
  }
  return event_role::broken;
}

event_role transaction_boundary::on_statement() {
  switch (state_) {
    case state::none:
      return event_role::whole;
    case state::after_gtid:
    case state::before_statement:
      state_ = state::none;
      return event_role::ends;
    case state::in_dml:
      return event_role::continues;
  }
  return event_role::broken;
}

boundary_event make_boundary_event(const event_header& h, bytes_view body,
                                   const format_description& fde) {
  boundary_event e;
  e.type = h.type;
  if (h.type == event_type::query) e.query = classify_query_event(body, fde);
  if (h.type == event_type::mariadb_gtid && body.size() > 12) e.mariadb_flags2 = body[12];
  return e;
}

}  // namespace binrelay::binlog
