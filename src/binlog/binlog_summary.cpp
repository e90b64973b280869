#include "binlog/binlog_summary.h"

#include <iterator>

#include <fmt/format.h>

#include "binlog/event.h"
#include "binlog/file_reader.h"

namespace binrelay::binlog {
namespace {

bool is_transaction_start(event_type t) {
  return t == event_type::gtid || t == event_type::anonymous_gtid || t == event_type::gtid_tagged ||
         t == event_type::mariadb_gtid;
}

// Decodes the GTID-bearing events of one file into the summary.
result<void> note_gtids(const raw_event& ev, const format_description& fde, binlog_summary& s) {
  auto decoded = decode_event(ev.bytes, fde);
  if (!decoded) return std::move(decoded).error();
  const event_body& body = decoded->body;
  if (auto* g = std::get_if<gtid_event>(&body)) {
    if (g->anonymous) {
      ++s.anonymous_transactions;
    } else {
      s.contained_gtids.add(g->sid, g->tag, g->gno);
    }
  } else if (auto* p = std::get_if<previous_gtids_event>(&body)) {
    s.previous_gtids = p->gtids;
  } else if (auto* mg = std::get_if<mariadb_gtid_event>(&body)) {
    s.last_position.update(gtid::mariadb_gtid{mg->domain_id, ev.header.server_id, mg->seq_no});
  } else if (auto* gl = std::get_if<mariadb_gtid_list_event>(&body)) {
    for (const auto& g : gl->gtids) s.previous_position.update(g);
  }
  return {};
}

bool wants_body(event_type t) {
  return is_transaction_start(t) || t == event_type::previous_gtids ||
         t == event_type::mariadb_gtid_list;
}

}  // namespace

result<binlog_summary> summarize_binlog_file(const std::filesystem::path& path,
                                             const summary_options& options) {
  file_reader_options ro;
  ro.verify_checksums = options.verify_checksums;
  auto reader = file_reader::open(path, ro);
  if (!reader) return std::move(reader).error();
  binlog_summary s;
  s.file = path.filename().string();
  while (true) {
    std::optional<event_header> header;
    if (options.gtids) {
      auto ev = reader->next();
      if (!ev) {
        s.errors.push_back(ev.error());
        if (options.continue_after_errors && ev.error().code == errc::checksum_mismatch) continue;
        break;
      }
      if (!*ev) break;
      header = (*ev)->header;
      if (wants_body(header->type)) {
        auto r = note_gtids(**ev, reader->format(), s);
        if (!r) s.errors.push_back(std::move(r).error());
      }
    } else {
      auto pos = reader->next_header();
      if (!pos) {
        s.errors.push_back(pos.error());
        if (options.continue_after_errors && pos.error().code == errc::checksum_mismatch) continue;
        break;
      }
      if (!*pos) break;
      header = (*pos)->header;
    }
    auto& st = s.by_type[static_cast<std::uint8_t>(header->type)];
    ++st.count;
    st.bytes += header->event_size;
    ++s.events;
    if (is_transaction_start(header->type)) ++s.transactions;
  }
  s.file_size = reader->position();
  s.server_version = reader->format().server_version;
  s.mariadb = reader->format().is_mariadb();
  return s;
}

void append_stats(const binlog_summary& s, std::string& out) {
  auto it = std::back_inserter(out);
  fmt::format_to(it, "# {} ({}, {} bytes)\n", s.file, s.server_version, s.file_size);
  fmt::format_to(it, "{:<28} {:>12} {:>16}\n", "event type", "count", "bytes");
  for (std::size_t t = 0; t < s.by_type.size(); ++t) {
    const type_stats& st = s.by_type[t];
    if (st.count == 0) continue;
    std::string_view name = event_type_name(static_cast<event_type>(t));
    fmt::format_to(it, "{:<28} {:>12} {:>16}\n",
                   name.empty() ? fmt::format("Unknown({})", t) : std::string(name), st.count,
                   st.bytes);
  }
  fmt::format_to(it, "{:<28} {:>12} {:>16}\n", "total events", s.events, s.file_size);
  fmt::format_to(it, "{:<28} {:>12}\n", "transactions", s.transactions);
}

void append_gtid_summary(const binlog_summary& s, std::string& out) {
  auto it = std::back_inserter(out);
  fmt::format_to(it, "# {} ({})\n", s.file, s.server_version);
  if (s.mariadb) {
    fmt::format_to(it, "gtid_list: {}\n", s.previous_position.to_string());
    fmt::format_to(it, "last_gtids: {}\n", s.last_position.to_string());
  } else {
    fmt::format_to(it, "previous_gtids: {}\n", s.previous_gtids.to_string());
    fmt::format_to(it, "gtids: {}\n", s.contained_gtids.to_string());
    if (s.anonymous_transactions) {
      fmt::format_to(it, "anonymous_transactions: {}\n", s.anonymous_transactions);
    }
  }
  fmt::format_to(it, "transactions: {}\n", s.transactions);
}

}  // namespace binrelay::binlog
