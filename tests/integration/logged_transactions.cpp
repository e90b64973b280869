#include "integration/logged_transactions.h"

#include <fstream>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "binlog/event.h"
#include "binlog/file_reader.h"

namespace binrelay::test {
namespace fs = std::filesystem;
using namespace binrelay::binlog;

namespace {

bool is_file_structure(event_type t) {
  switch (t) {
    case event_type::format_description:
    case event_type::rotate:
    case event_type::stop:
    case event_type::previous_gtids:
    case event_type::mariadb_gtid_list:
    case event_type::mariadb_binlog_checkpoint:
    case event_type::heartbeat:
    case event_type::heartbeat_v2:
      return true;
    default:
      return false;
  }
}

std::string gtid_text(const raw_event& ev, const format_description& fde) {
  auto d = decode_event(ev.bytes, fde);
  if (!d) throw std::runtime_error(d.error().describe());
  if (auto* g = std::get_if<gtid_event>(&d->body))
    return fmt::format("{}:{}", g->sid.to_string(), g->gno);
  if (auto* m = std::get_if<mariadb_gtid_event>(&d->body)) {
    return fmt::format("{}-{}-{}", m->domain_id, ev.header.server_id, m->seq_no);
  }
  return {};
}

}  // namespace

std::vector<logged_transaction> read_transactions(const std::vector<fs::path>& files) {
  std::vector<logged_transaction> out;
  for (const auto& f : files) {
    auto reader = file_reader::open(f);
    if (!reader) throw std::runtime_error(reader.error().describe());
    while (true) {
      auto ev = reader->next();
      if (!ev) throw std::runtime_error(ev.error().describe());
      if (!*ev) break;
      const raw_event& e = **ev;
      if (is_file_structure(e.header.type)) continue;
      std::string gtid = gtid_text(e, reader->format());
      if (!gtid.empty() || out.empty()) out.push_back({gtid, {}});
      bytes_view body = e.body(reader->format());
      out.back().events.push_back({static_cast<int>(e.header.type), e.header.timestamp,
                                   e.header.server_id, std::string(as_string_view(body))});
    }
  }
  return out;
}

std::vector<fs::path> relay_files(const fs::path& dir) {
  std::vector<fs::path> out;
  std::ifstream index(dir / "relay-bin.index");
  std::string line;
  while (std::getline(index, line)) {
    if (line.empty()) continue;
    fs::path p(line);
    out.push_back(p.is_absolute() ? p : dir / p.filename());
  }
  return out;
}

std::string first_difference(const std::vector<logged_transaction>& expected,
                             const std::vector<logged_transaction>& actual) {
  std::set<std::string> seen;
  for (const auto& t : actual) {
    if (!seen.insert(t.gtid).second) return "duplicate GTID " + t.gtid + " in the relay log";
  }
  for (std::size_t i = 0; i < std::min(expected.size(), actual.size()); ++i) {
    if (expected[i].gtid != actual[i].gtid) {
      return fmt::format("transaction #{}: expected GTID {}, relay log has {}", i, expected[i].gtid,
                         actual[i].gtid);
    }
    if (expected[i].events != actual[i].events) {
      return fmt::format("transaction #{} (GTID {}): events differ ({} vs {} events)", i,
                         expected[i].gtid, expected[i].events.size(), actual[i].events.size());
    }
  }
  if (expected.size() != actual.size()) {
    return fmt::format("primary has {} transactions, relay log has {}", expected.size(),
                       actual.size());
  }
  return {};
}

}  // namespace binrelay::test
