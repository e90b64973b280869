#include "relay/store_recovery.h"

#include <algorithm>
#include <chrono>
#include <set>

#include "binlog/file_reader.h"
#include "binlog/transaction_boundary.h"
#include "binlog/transaction_gtid.h"
#include "common/log.h"
#include "relay/relay_file.h"
#include "relay/relay_index.h"

namespace binrelay::relay {

namespace fs = std::filesystem;
using binlog::event_type;

namespace {

void act(recovery_result& r, std::string line) {
  log::warn("{}", line);
  r.actions.push_back(std::move(line));
}

std::string tail_reason_of(const error& e) {
  switch (e.code) {
    case errc::truncated:
      return "a torn event";
    case errc::checksum_mismatch:
      return "an event failing its CRC32 check";
    default:
      return fmt::format("an unreadable event ({})", e.message);
  }
}

std::int64_t mtime_unix(const fs::path& p) {
  std::error_code ec;
  auto t = fs::last_write_time(p, ec);
  if (ec) return 0;
  auto sys = std::chrono::file_clock::to_sys(t);
  return std::chrono::duration_cast<std::chrono::seconds>(sys.time_since_epoch()).count();
}

// Step 1: the list of files to keep, in order.
result<std::vector<std::string>> reconcile(const fs::path& dir, std::string_view basename,
                                           recovery_result& r, bool& index_changed) {
  auto listed = read_index(dir, basename);
  if (!listed) return listed.error();
  auto present = list_relay_files(dir, basename);
  if (!present) return present.error();
  std::set<std::string> on_disk(present->begin(), present->end());

  std::vector<std::string> names = *listed;
  auto missing = [&](const std::string& n) { return !on_disk.count(n); };
  while (!names.empty() && missing(names.back())) {
    act(r, fmt::format("relay log {}: listed in the index but missing; removed from the index",
                       names.back()));
    names.pop_back();
    index_changed = true;
  }
  while (!names.empty() && missing(names.front())) {
    act(r, fmt::format("relay log {}: listed in the index but missing; treated as purged",
                       names.front()));
    names.erase(names.begin());
    index_changed = true;
  }
  for (const auto& n : names) {
    if (missing(n)) {
      return make_error(errc::not_found,
                        "relay log {} is listed in {} but missing while later files exist; "
                        "restore it or remove the relay logs",
                        n, index_path(dir, basename).string());
    }
  }
  std::uint64_t first = names.empty() ? 0 : *relay_file_number(basename, names.front());
  std::uint64_t last = names.empty() ? 0 : *relay_file_number(basename, names.back());
  std::set<std::string> in_index(names.begin(), names.end());
  for (const auto& n : *present) {
    if (in_index.count(n)) continue;
    std::uint64_t num = *relay_file_number(basename, n);
    bool adoptable = num > last && read_file_header(dir / n).has_value();
    if (adoptable) {
      act(r, fmt::format("relay log {}: present but not in the index (interrupted rotation); "
                         "added to the index",
                         n));
      names.push_back(n);
      last = num;
    } else {
      std::error_code ec;
      fs::remove(dir / n, ec);
      act(r, fmt::format("relay log {}: present but not in the index ({}); deleted", n,
                         num < first ? "interrupted purge" : "no complete header"));
    }
    index_changed = true;
  }
  return names;
}

result<void> truncate_file(const fs::path& p, std::uint64_t size) {
  auto f = append_file::open_existing(p);
  if (!f) return f.error();
  if (auto t = f->truncate(size); !t) return t;
  return f->sync();
}

}  // namespace

result<file_scan> scan_relay_file(const fs::path& path) {
  auto header = read_file_header(path);
  if (!header) return header.error();
  binlog::file_reader_options opts;
  opts.assume_mariadb = header->fde.is_mariadb();
  auto reader = binlog::file_reader::open(path, opts);
  if (!reader) return reader.error();
  std::error_code ec;
  file_scan s;
  s.file_size = fs::file_size(path, ec);
  s.committed_end = header->end_offset;
  s.after = header->before;
  binlog::transaction_boundary tb;
  std::optional<binlog::transaction_gtid> pending;
  std::uint64_t pending_seq = 0;
  while (true) {
    auto next = reader->next();
    if (!next) {
      s.tail_reason = tail_reason_of(next.error());
      break;
    }
    if (!*next) break;
    const binlog::raw_event& e = **next;
    if (e.offset < header->end_offset) continue;
    const auto& fde = reader->format();
    bytes_view body = e.body(fde);
    if (e.header.type == event_type::rotate) {
      s.tail_reason = "the closing Rotate of an interrupted rotation";
      break;
    }
    binlog::event_role role = tb.step(binlog::make_boundary_event(e.header, body, fde));
    if (role == binlog::event_role::broken) {
      s.tail_reason = fmt::format("an impossible event sequence ({} at offset {})",
                                  binlog::event_type_name(e.header.type), e.offset);
      break;
    }
    if (role == binlog::event_role::control) continue;
    if (role == binlog::event_role::begins || role == binlog::event_role::whole) {
      auto g = binlog::gtid_of_event(e.header, body, fde);
      if (!g) {
        s.tail_reason = fmt::format("an undecodable GTID event ({})", g.error().message);
        break;
      }
      pending = *g;
      auto clock = binlog::read_logical_clock(e.header.type, body);
      pending_seq = clock ? clock->sequence_number : 0;
    }
    if (role == binlog::event_role::ends || role == binlog::event_role::whole) {
      if (pending) binlog::add_gtid(s.after, *pending);
      if (pending_seq != 0) s.last_sequence_number = pending_seq;
      pending.reset();
      pending_seq = 0;
      ++s.transactions;
      s.committed_end = e.offset + e.bytes.size();
      s.last_timestamp = e.header.timestamp;
    }
  }
  if (s.file_size > s.committed_end && s.tail_reason.empty()) {
    s.tail_reason = "a partial transaction";
  }
  return s;
}

result<recovery_result> recover_store(const fs::path& dir, std::string_view basename,
                                      const gtid_state& initial) {
  recovery_result r;
  bool index_changed = false;
  auto names = reconcile(dir, basename, r, index_changed);
  if (!names) return names.error();

  // Step 2: a last file without complete header events holds nothing; drop it.
  while (!names->empty()) {
    const std::string& last = names->back();
    if (read_file_header(dir / last)) break;
    std::error_code ec;
    fs::remove(dir / last, ec);
    act(r, fmt::format("relay log {}: header events incomplete (crash while creating it); "
                       "deleted and removed from the index",
                       last));
    names->pop_back();
    index_changed = true;
  }

  for (const auto& n : *names) {
    auto h = read_file_header(dir / n);
    if (!h) return h.error();
    file_info fi;
    fi.name = n;
    fi.number = *relay_file_number(basename, n);
    std::error_code ec;
    fi.size = fs::file_size(dir / n, ec);
    fi.before = h->before;
    fi.created_unix = h->created;
    fi.last_write_unix = mtime_unix(dir / n);
    if (&n == &names->back()) r.last_format = h->fde;
    r.files.push_back(std::move(fi));
  }

  r.retrieved = initial;
  if (!r.files.empty()) {
    file_info& last = r.files.back();
    auto s = scan_relay_file(dir / last.name);
    if (!s) return s.error();
    if (s->committed_end < s->file_size) {
      if (auto t = truncate_file(dir / last.name, s->committed_end); !t) return t.error();
      act(r, fmt::format("relay log {}: truncated {} bytes of {} after offset {}", last.name,
                         s->file_size - s->committed_end, s->tail_reason, s->committed_end));
      last.size = s->committed_end;
    }
    r.retrieved = s->after;
    r.last_sequence_number = s->last_sequence_number;
    r.last_timestamp = s->last_timestamp;
  }
  if (index_changed) {
    if (auto w = write_index(dir, basename, *names); !w) return w.error();
  }
  r.names = std::move(*names);
  return r;
}

}  // namespace binrelay::relay
