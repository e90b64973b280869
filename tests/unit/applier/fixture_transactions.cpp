#include "unit/applier/fixture_transactions.h"

#include <memory>
#include <optional>
#include <stdexcept>

#include "binlog/file_reader.h"
#include "binlog/mariadb_events.h"
#include "binlog/transaction_boundary.h"
#include "support/fixtures.h"

namespace binrelay::test {
namespace {

void require(bool ok, const std::string& what) {
  if (!ok) throw std::runtime_error("fixture_transactions: " + what);
}

// What a transaction's GTID event says (MariaDB: the group commit facts too).
void note_gtid(binlog::transaction& t, const binlog::raw_event& ev,
               const binlog::format_description& fde) {
  bytes_view body = ev.body(fde);
  if (ev.header.type != binlog::event_type::mariadb_gtid) {
    auto g = binlog::gtid_of_event(ev.header, body, fde);
    require(g.has_value(), "GTID event");
    t.gtid = *g;
    return;
  }
  auto m = binlog::decode_mariadb_gtid_event(ev.header, body, fde);
  require(m.has_value(), "MariaDB GTID event");
  t.gtid = binlog::transaction_gtid{};
  t.gtid->mariadb = true;
  t.gtid->mariadb_gtid = m->gtid();
  t.schedule.commit_id = m->commit_id;
  t.schedule.domain_id = m->domain_id;
  if (!(m->flags2 & binlog::mariadb_fl_standalone)) t.has_begin = true;
  constexpr std::uint8_t alone = binlog::mariadb_fl_ddl | binlog::mariadb_fl_standalone;
  if ((m->flags2 & alone) || !(m->flags2 & binlog::mariadb_fl_transactional)) {
    t.schedule.exclusive = true;
  }
}

bool is_gtid(binlog::event_type type) {
  using binlog::event_type;
  return type == event_type::gtid || type == event_type::gtid_tagged ||
         type == event_type::mariadb_gtid;
}

}  // namespace

std::vector<binlog::transaction> fixture_transactions(const std::string& fixture,
                                                      const std::string& relay_file,
                                                      std::uint64_t file_number) {
  auto reader = binlog::file_reader::open(fixtures_dir() / fixture);
  require(reader.has_value(), "cannot open " + fixture);
  std::vector<binlog::transaction> out;
  binlog::transaction_boundary boundary;
  std::shared_ptr<const binlog::format_description> format;
  std::shared_ptr<const std::vector<std::uint8_t>> format_event;
  binlog::transaction current;
  while (true) {
    auto ev = reader->next();
    require(ev.has_value(), "cannot read " + fixture);
    if (!*ev) break;
    const auto& e = **ev;
    const auto& fde = reader->format();
    auto be = binlog::make_boundary_event(e.header, e.body(fde), fde);
    auto role = boundary.step(be);
    require(role != binlog::event_role::broken, "broken event sequence in " + fixture);
    if (role == binlog::event_role::control) {
      if (e.header.type == binlog::event_type::format_description) {
        format = std::make_shared<binlog::format_description>(fde);
        format_event = std::make_shared<std::vector<std::uint8_t>>(e.bytes.begin(), e.bytes.end());
      }
      continue;
    }
    if (role == binlog::event_role::begins || role == binlog::event_role::whole) {
      current = {};
      current.format = format;
      current.format_event = format_event;
      current.file = relay_file;
      current.file_number = file_number;
      current.start_offset = e.offset;
      current.timestamp = e.header.timestamp;
      current.schedule.new_file = out.empty();
    }
    current.events.insert(current.events.end(), e.bytes.begin(), e.bytes.end());
    if (is_gtid(e.header.type)) note_gtid(current, e, fde);
    if (be.query == binlog::query_kind::begin) current.has_begin = true;
    if (be.query == binlog::query_kind::other && e.header.type == binlog::event_type::query) {
      current.schedule.exclusive = true;
    }
    if (role == binlog::event_role::ends || role == binlog::event_role::whole) {
      current.end_offset = reader->position();
      if (!current.has_begin) current.schedule.exclusive = true;
      out.push_back(std::move(current));
    }
  }
  return out;
}

std::vector<binlog::transaction> group_commit_copies(const binlog::transaction& t,
                                                     std::size_t count, std::uint64_t first_seq_no,
                                                     std::uint64_t commit_id) {
  require(t.gtid && t.gtid->mariadb, "group_commit_copies needs a MariaDB transaction");
  std::vector<binlog::transaction> out;
  std::uint64_t offset = t.start_offset;
  for (std::size_t i = 0; i < count; ++i) {
    binlog::transaction c = t;
    c.gtid->mariadb_gtid.seq_no = first_seq_no + i;
    c.schedule.commit_id = commit_id;
    c.schedule.new_file = i == 0;
    c.start_offset = offset;
    c.end_offset = offset + t.events.size();
    offset = c.end_offset;
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace binrelay::test
