#include "relay/transaction_reader.h"

#include <algorithm>

#include <fmt/format.h>

#include "binlog/mariadb_events.h"

namespace binrelay::relay {

namespace {
bool is_query(binlog::event_type t) {
  return t == binlog::event_type::query || t == binlog::event_type::mariadb_query_compressed;
}
}  // namespace

transaction_reader::transaction_reader(const relay_store& store, binlog::log_position start)
    : store_(store), position_(std::move(start)) {}

result<bool> transaction_reader::open_file() {
  auto files = store_.files();
  if (files.empty()) return false;
  if (position_.file.empty()) position_ = {files.front().name, 4};
  auto it = std::find_if(files.begin(), files.end(),
                         [&](const auto& f) { return f.name == position_.file; });
  if (it == files.end()) {
    return make_error(errc::not_found, "relay log file '{}' the applier needs is missing (purged?)",
                      position_.file);
  }
  auto reader = binlog::file_reader::open(store_.options().directory / it->name);
  if (!reader) return std::move(reader).error();
  auto fde = reader->next();  // the FDE, which decodes everything after it
  if (!fde) return std::move(fde).error();
  if (!reader->has_format_description()) {
    return make_error(errc::corrupt, "relay log file '{}' does not start with an FDE", it->name);
  }
  set_format(**fde, reader->format());
  if (position_.offset > reader->position()) {
    if (auto s = reader->seek(position_.offset); !s) return std::move(s).error();
  }
  position_.offset = reader->position();
  file_number_ = it->number;
  file_.emplace(std::move(*reader));
  boundary_.reset();
  first_in_file_ = true;
  return true;
}

result<bool> transaction_reader::advance_file() {
  auto files = store_.files();
  for (const auto& f : files) {
    if (f.number > file_number_) {
      position_ = {f.name, 4};
      file_.reset();
      return open_file();
    }
  }
  return false;
}

namespace {
using maybe_event = std::optional<binlog::raw_event>;
}  // namespace

result<std::optional<binlog::raw_event>> transaction_reader::next_event() {
  if (!file_) {
    auto opened = open_file();
    if (!opened) return std::move(opened).error();
    if (!*opened) return maybe_event();
  }
  auto end = store_.end_position();
  bool current_file = end.file == position_.file;
  if (current_file && file_->position() >= end.offset) return maybe_event();
  auto ev = file_->next();
  if (!ev) return std::move(ev).error();
  if (*ev || current_file) return ev;
  if (boundary_.in_transaction()) {
    return make_error(errc::corrupt, "relay log file '{}' ends inside a transaction",
                      position_.file);
  }
  auto advanced = advance_file();
  if (!advanced) return std::move(advanced).error();
  if (!*advanced) return maybe_event();
  return next_event();
}

void transaction_reader::set_format(const binlog::raw_event& fde_event,
                                    const binlog::format_description& fde) {
  format_ = std::make_shared<binlog::format_description>(fde);
  format_event_ =
      std::make_shared<std::vector<std::uint8_t>>(fde_event.bytes.begin(), fde_event.bytes.end());
}

void transaction_reader::begin_transaction(const binlog::raw_event& ev) {
  current_ = binlog::transaction{};
  current_.format = format_;
  current_.format_event = format_event_;
  current_.file = position_.file;
  current_.file_number = file_number_;
  current_.start_offset = ev.offset;
  current_.timestamp = ev.header.timestamp;
  current_.schedule.new_file = first_in_file_;
  first_in_file_ = false;
}

// MySQL GTID events: the GTID and the logical clock. MariaDB's: decoded once for the GTID,
// the group commit facts and whether the group is a transaction (note_mariadb_gtid).
result<void> transaction_reader::note_gtid(const binlog::raw_event& ev, bytes_view body) {
  if (ev.header.type == binlog::event_type::mariadb_gtid) return note_mariadb_gtid(ev, body);
  auto g = binlog::gtid_of_event(ev.header, body, file_->format());
  if (!g) return std::move(g).error();
  current_.gtid = *g;
  if (auto clock = binlog::read_logical_clock(ev.header.type, body)) {
    current_.schedule.last_committed = clock->last_committed;
    current_.schedule.sequence_number = clock->sequence_number;
  }
  return {};
}

result<void> transaction_reader::note_mariadb_gtid(const binlog::raw_event& ev, bytes_view body) {
  auto m = binlog::decode_mariadb_gtid_event(ev.header, body, file_->format());
  if (!m) return std::move(m).error();
  binlog::transaction_gtid g;
  g.mariadb = true;
  g.mariadb_gtid = m->gtid();
  current_.gtid = g;
  current_.schedule.commit_id = m->commit_id;
  current_.schedule.domain_id = m->domain_id;
  current_.schedule.waited = (m->flags2 & binlog::mariadb_fl_waited) != 0;
  // A MariaDB GTID without FL_STANDALONE stands for BEGIN (no BEGIN event follows).
  if (!(m->flags2 & binlog::mariadb_fl_standalone)) current_.has_begin = true;
  constexpr std::uint8_t alone = binlog::mariadb_fl_ddl | binlog::mariadb_fl_standalone;
  if ((m->flags2 & alone) || !(m->flags2 & binlog::mariadb_fl_transactional)) {
    current_.schedule.exclusive = true;
  }
  return {};
}

result<std::optional<binlog::transaction>> transaction_reader::next() {
  while (true) {
    auto ev = next_event();
    if (!ev) return std::move(ev).error();
    if (!*ev) return std::optional<binlog::transaction>();
    const auto& fde = file_->format();
    bytes_view body = (*ev)->body(fde);
    auto be = binlog::make_boundary_event((*ev)->header, body, fde);
    auto role = boundary_.step(be);
    if (role == binlog::event_role::control) {
      if ((*ev)->header.type == binlog::event_type::format_description) set_format(**ev, fde);
      if (!boundary_.in_transaction()) position_.offset = file_->position();
      continue;
    }
    if (role == binlog::event_role::broken) {
      return make_error(errc::corrupt,
                        "relay log '{}' at {}: {} cannot follow the events before it",
                        position_.file, (*ev)->offset, binlog::event_type_name((*ev)->header.type));
    }
    if (role == binlog::event_role::begins || role == binlog::event_role::whole) {
      begin_transaction(**ev);
    }
    current_.events.insert(current_.events.end(), (*ev)->bytes.begin(), (*ev)->bytes.end());
    auto type = (*ev)->header.type;
    if (type == binlog::event_type::gtid || type == binlog::event_type::gtid_tagged ||
        type == binlog::event_type::mariadb_gtid || type == binlog::event_type::anonymous_gtid) {
      if (auto r = note_gtid(**ev, body); !r) return std::move(r).error();
    }
    if (be.query == binlog::query_kind::begin && is_query(type)) current_.has_begin = true;
    if (be.query == binlog::query_kind::other && is_query(type)) {
      current_.schedule.exclusive = true;
    }
    if (role == binlog::event_role::ends || role == binlog::event_role::whole) {
      current_.end_offset = file_->position();
      position_.offset = current_.end_offset;
      // One autocommitted statement (DDL ...) cannot wait for its turn to commit.
      if (!current_.has_begin) current_.schedule.exclusive = true;
      return std::optional<binlog::transaction>(std::move(current_));
    }
  }
}

}  // namespace binrelay::relay
