#include "admin/skip.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include <fmt/format.h>

#include "gtid/mariadb_gtid.h"
#include "gtid/tag.h"
#include "gtid/uuid.h"
#include "protocol/server_errors.h"

namespace binrelay::admin {
namespace {

using protocol::make_err_packet;
using relay::query_answer;

query_answer ok() {
  protocol::query_result r;
  r.ok.status_flags = 0x0002;  // SERVER_STATUS_AUTOCOMMIT
  return r;
}

// The literal text of a string or bare word; nullopt for anything else.
std::optional<std::string> literal(const sql::expression& e) {
  if (e.type == sql::expression::kind::string || e.type == sql::expression::kind::identifier)
    return e.text;
  return std::nullopt;
}

bool is_automatic(std::string_view text) {
  constexpr std::string_view word = "AUTOMATIC";
  return text.size() == word.size() &&
         std::equal(text.begin(), text.end(), word.begin(), [](char a, char b) {
           return std::toupper(static_cast<unsigned char>(a)) == b;
         });
}

query_answer wrong_value(std::string_view variable, std::string_view value) {
  return make_err_packet(
      1231, fmt::format("Variable '{}' can't be set to the value of '{}'", variable, value));
}

struct mysql_gtid {
  gtid::uuid sid;
  std::string tag;  // normalised; "" when untagged
  std::uint64_t gno = 0;
  std::string text() const {
    return sid.to_string() + (tag.empty() ? "" : ":" + tag) + ":" + std::to_string(gno);
  }
};

// A MySQL GTID `uuid:N` or `uuid:tag:N`; nullopt when `text` is not one.
std::optional<mysql_gtid> parse_mysql_gtid_parts(std::string_view text) {
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view number = text.substr(colon + 1);
  std::string_view head = text.substr(0, colon);
  mysql_gtid g;
  if (auto tag_colon = head.find(':'); tag_colon != std::string_view::npos) {
    auto tag = gtid::normalise_tag(head.substr(tag_colon + 1));
    if (!tag) return std::nullopt;
    g.tag = *tag;
    head = head.substr(0, tag_colon);
  }
  auto sid = gtid::uuid::parse(head);
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), g.gno);
  if (!sid || ec != std::errc{} || end != number.data() + number.size() || g.gno == 0)
    return std::nullopt;
  g.sid = *sid;
  return g;
}

// A MySQL GTID in canonical text; nullopt when `text` is not one.
std::optional<std::string> parse_mysql_gtid(std::string_view text) {
  auto g = parse_mysql_gtid_parts(text);
  if (!g) return std::nullopt;
  return g->text();
}

// `uuid:N` or `D-S-N` in canonical text; nullopt otherwise.
std::optional<std::string> parse_gtid(std::string_view text) {
  if (auto m = parse_mysql_gtid(text)) return m;
  auto g = gtid::mariadb_gtid::parse(text);
  if (!g) return std::nullopt;
  return g->to_string();
}

// Whether the downstream already committed `gtid` (by the applier's last reading).
bool executed(const applier::applier_snapshot& a, const std::string& gtid) {
  if (auto g = gtid::mariadb_gtid::parse(gtid)) return a.executed.position.contains(*g);
  auto g = parse_mysql_gtid_parts(gtid);
  return g && a.executed.mysql.contains(g->sid, g->tag, g->gno);
}

// MariaDB's ER_SLAVE_MUST_STOP (1198) for the SQL thread.
query_answer sql_thread_must_stop() {
  return make_err_packet(1198,
                         "This operation cannot be performed as you have a running slave 'SQL "
                         "thread'; run STOP SLAVE SQL_THREAD first");
}

}  // namespace

query_answer transaction_skip::set_gtid_next(const sql::expression& value) {
  if (owned_ && in_transaction_) {
    return make_err_packet(1790, fmt::format("@@SESSION.GTID_NEXT cannot be changed by a client "
                                             "that owns a GTID. The client owns {}. Ownership is "
                                             "released on COMMIT or ROLLBACK.",
                                             gtid_next_));
  }
  auto text = literal(value);
  if (!text) return wrong_value("gtid_next", sql::to_string(value));
  if (is_automatic(*text)) {
    gtid_next_.clear();
    owned_ = false;
    return ok();
  }
  auto gtid = parse_gtid(*text);
  if (!gtid) return wrong_value("gtid_next", *text);
  gtid_next_ = *gtid;
  owned_ = true;
  return ok();
}

query_answer transaction_skip::set_gtid_slave_pos(const sql::expression& value) {
  auto text = literal(value);
  if (!text) return wrong_value("gtid_slave_pos", sql::to_string(value));
  auto pos = gtid::mariadb_gtid_position::parse(*text);
  if (!pos) return wrong_value("gtid_slave_pos", *text);
  if (pos->size() != 1) {
    return protocol::not_supported_yet(
        "SET GLOBAL gtid_slave_pos with other than one GTID (binrelay skips one transaction)");
  }
  const gtid::mariadb_gtid& g = pos->gtids().front();
  applier::applier_snapshot applier = state_.applier();
  if (applier.running) return sql_thread_must_stop();
  const gtid::mariadb_gtid* done = applier.executed.position.get(g.domain_id);
  if (done && g.seq_no != done->seq_no + 1) {
    return protocol::not_supported_yet(fmt::format(
        "SET GLOBAL gtid_slave_pos to {} when the downstream executed {}: binrelay only skips "
        "the next transaction of a domain",
        g.to_string(), done->to_string()));
  }
  return skip(g.to_string());
}

query_answer transaction_skip::begin() {
  if (in_transaction_) {
    return protocol::not_supported_yet("BEGIN inside a transaction on the admin port");
  }
  if (gtid_next_.empty()) {
    return protocol::not_supported_yet(
        "BEGIN with GTID_NEXT AUTOMATIC (the admin port only commits empty transactions: "
        "SET GTID_NEXT='uuid:N' first)");
  }
  if (!owned_) {
    return make_err_packet(1837, fmt::format("When @@SESSION.GTID_NEXT is set to a GTID, you "
                                             "must explicitly set it to a different value after "
                                             "a COMMIT or ROLLBACK. Please check GTID_NEXT "
                                             "variable manual page for detailed explanation. "
                                             "Current @@SESSION.GTID_NEXT is '{}'.",
                                             gtid_next_));
  }
  in_transaction_ = true;
  return ok();
}

query_answer transaction_skip::commit() {
  in_transaction_ = false;
  if (!owned_) return ok();  // nothing was begun: MySQL's COMMIT outside a transaction
  auto r = skip(gtid_next_);
  if (!std::holds_alternative<protocol::err_packet>(r)) owned_ = false;
  return r;
}

query_answer transaction_skip::skip(const std::string& gtid) {
  applier::applier_snapshot a = state_.applier();
  if (a.running) return sql_thread_must_stop();
  if (executed(a, gtid)) {
    return make_err_packet(1235, fmt::format("GTID {} is already executed on the downstream; "
                                             "there is nothing to skip",
                                             gtid));
  }
  auto r = state_.skip_transaction(gtid);
  if (!r) return protocol::to_err_packet(r.error());
  return ok();
}

}  // namespace binrelay::admin
