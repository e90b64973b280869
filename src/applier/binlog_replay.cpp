#include "applier/binlog_replay.h"

#include <algorithm>

#include "binlog/event_header.h"
#include "binlog/table_map_cache.h"
#include "binlog/transaction_boundary.h"
#include "common/base64.h"

namespace binrelay::applier {
namespace {

using binlog::event_type;

enum class role { skip, table_map, rows, refuse };

bool is_replayable_rows(event_type t) {
  auto v = static_cast<unsigned>(t);
  return (v >= 23 && v <= 25) || (v >= 30 && v <= 32) || v == 39 || (v >= 166 && v <= 171);
}

struct event_ref {
  binlog::event_header header;
  bytes_view bytes;  // whole event
  bytes_view body;   // after the header, before the checksum
};

// Calls f(event_ref) for each event; stops (false) at the first one f refuses.
template <class F>
bool each_event(const relay_transaction& txn, F&& f) {
  bytes_view rest(txn.events);
  std::size_t header_length = std::max<std::size_t>(txn.format->header_length, 19);
  std::size_t tail = txn.format->checksum_length();
  while (!rest.empty()) {
    auto h = binlog::decode_event_header(rest);
    if (!h || h->event_size > rest.size() || h->event_size < header_length + tail) return false;
    bytes_view bytes = rest.first(h->event_size);
    if (!f(event_ref{*h, bytes,
                     bytes.subspan(header_length, bytes.size() - header_length - tail)})) {
      return false;
    }
    rest = rest.subspan(h->event_size);
  }
  return true;
}

role role_of(const event_ref& ev, const binlog::format_description& fde) {
  switch (ev.header.type) {
    case event_type::mariadb_gtid:
    case event_type::mariadb_annotate_rows:
    case event_type::gtid:
    case event_type::gtid_tagged:
    case event_type::anonymous_gtid:
    case event_type::rows_query:
    case event_type::xid:
      return role::skip;
    case event_type::table_map:
      return role::table_map;
    case event_type::query:
      return binlog::classify_query_event(ev.body, fde) == binlog::query_kind::other ? role::refuse
                                                                                     : role::skip;
    default:
      return is_replayable_rows(ev.header.type) ? role::rows : role::refuse;
  }
}

// STMT_END_F of a rows event: flags follow the table id (6 bytes, 4 in 5.1.0-era post-headers).
bool ends_statement(const event_ref& ev, const binlog::format_description& fde) {
  std::size_t id_size = fde.post_header_length(ev.header.type) == 6 ? 4 : 6;
  if (ev.body.size() < id_size + 2) return true;
  return (ev.body[id_size] & 0x01) != 0;
}

}  // namespace

bool replayable(const relay_transaction& txn, downstream_flavour downstream) {
  if (!txn.format || !txn.format_event) return false;
  if (txn.format->is_mariadb() != (downstream == downstream_flavour::mariadb)) return false;
  return each_event(txn,
                    [&](const event_ref& ev) { return role_of(ev, *txn.format) != role::refuse; });
}

std::size_t replay_encoder::append(const relay_transaction& txn, replay_split split,
                                   std::size_t max_statement_bytes, std::string& out) {
  std::size_t statements = 0;
  std::size_t group_start = 0;  // in scratch_: where the open group begins
  scratch_.clear();
  auto emit = [&](std::size_t end) {
    if (end == 0) return;
    if (statements++ > 0) out += ';';
    out += "BINLOG '";
    base64_append(bytes_view(scratch_).first(end), out);
    out += '\'';
    scratch_.erase(scratch_.begin(), scratch_.begin() + static_cast<std::ptrdiff_t>(end));
  };
  each_event(txn, [&](const event_ref& ev) {
    auto r = role_of(ev, *txn.format);
    if (r == role::skip) return true;
    scratch_.insert(scratch_.end(), ev.bytes.begin(), ev.bytes.end());
    if (r != role::rows || !ends_statement(ev, *txn.format)) return true;
    // A group ended: it starts a new statement when asked to, or when it does not fit.
    if (split == replay_split::by_group) {
      emit(scratch_.size());
    } else if (group_start > 0 && base64_length(scratch_.size()) > max_statement_bytes) {
      emit(group_start);
    }
    group_start = scratch_.size();
    return true;
  });
  emit(scratch_.size());
  return statements;
}

std::string format_statement(const relay_transaction& txn) {
  std::string out = "BINLOG '";
  base64_append(*txn.format_event, out);
  out += '\'';
  return out;
}

result<std::vector<statement_origin>> group_origins(const relay_transaction& txn,
                                                    std::string_view error_message) {
  std::vector<statement_origin> out;
  std::vector<statement_origin> group;
  binlog::table_map_cache maps;
  std::optional<binrelay::error> failure;
  auto pick = [&]() {
    if (group.empty()) return;
    auto named = std::find_if(group.begin(), group.end(), [&](const statement_origin& o) {
      return error_message.find("'" + o.table + "'") != std::string_view::npos;
    });
    out.push_back(named != group.end() ? *named : group.front());
    group.clear();
  };
  each_event(txn, [&](const event_ref& ev) {
    auto r = role_of(ev, *txn.format);
    if (r == role::table_map) {
      auto m = maps.add(ev.bytes, *txn.format);
      if (!m) failure = std::move(m).error();
      return m.has_value();
    }
    if (r != role::rows) return true;
    std::size_t id_size = txn.format->post_header_length(ev.header.type) == 6 ? 4 : 6;
    std::uint64_t id = 0;
    for (std::size_t i = 0; i < id_size && i < ev.body.size(); ++i)
      id |= std::uint64_t(ev.body[i]) << (8 * i);
    const auto* map = maps.find(id);
    group.push_back({std::string(binlog::event_type_name(ev.header.type)),
                     map ? std::string(map->db) : "", map ? std::string(map->table) : "",
                     ev.header.log_pos, 0});
    if (ends_statement(ev, *txn.format)) pick();
    return true;
  });
  if (failure) return std::move(*failure);
  pick();
  return out;
}

}  // namespace binrelay::applier
