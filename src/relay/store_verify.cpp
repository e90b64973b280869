#include "relay/store_verify.h"

#include <chrono>

#include "binlog/file_reader.h"
#include "binlog/transaction_boundary.h"
#include "binlog/transaction_gtid.h"
#include "common/log.h"
#include "relay/file_header.h"

namespace binrelay::relay {

namespace fs = std::filesystem;
using binlog::event_role;
using binlog::event_type;

namespace {

std::string gtid_text(const binlog::transaction_gtid& g) {
  if (g.mariadb) return g.mariadb_gtid.to_string();
  std::string s = g.sid.to_string();
  if (!g.tag.empty()) s += ":" + g.tag;
  return s + ":" + std::to_string(g.gno);
}

bool already_stored(const gtid_state& seen, const binlog::transaction_gtid& g) {
  if (!g.mariadb) return seen.mysql.contains(g.sid, g.tag, g.gno);
  const gtid::mariadb_gtid* have = seen.position.get(g.mariadb_gtid.domain_id);
  return have != nullptr && have->seq_no >= g.mariadb_gtid.seq_no;
}

bool same_gtids(const gtid_state& a, const gtid_state& b) {
  return a.mysql == b.mysql && a.position == b.position;
}

// One file's event walk. `seen` holds every GTID stored before this file.
class file_verifier {
 public:
  file_verifier(const fs::path& dir, const file_info& f, bool closed, gtid_state& seen,
                store_verification& out)
      : path_(dir / f.name), name_(f.name), closed_(closed), seen_(seen), out_(out) {}

  // Reads the events after the header events (which end at `header_end`).
  void run(const binlog::file_reader_options& opts, std::uint64_t header_end) {
    auto reader = binlog::file_reader::open(path_, opts);
    if (!reader) return damage(4, 4, "cannot be read: " + reader.error().message);
    while (!damage_) {
      auto next = reader->next();
      if (!next) {
        std::uint64_t at = reader->good_end_offset();
        return damage(in_trx_ ? trx_begin_ : at, at, next.error().message);
      }
      if (!*next) break;
      if ((*next)->offset >= header_end) step(**next, reader->format());
    }
    if (!damage_ && in_trx_) {
      damage(trx_begin_, trx_begin_,
             fmt::format("the file ends inside the transaction begun at offset {}", trx_begin_));
    }
  }

  void damage(std::uint64_t from, std::uint64_t event_offset, std::string what) {
    if (damage_) return;
    damage_ = true;
    if (what.starts_with(name_ + ": ")) what.erase(0, name_.size() + 2);  // the reader's prefix
    out_.damaged.push_back(damaged_range{name_, from, event_offset, std::move(what)});
  }
  bool damaged() const { return damage_; }

 private:
  void step(const binlog::raw_event& e, const binlog::format_description& fde) {
    if (rotated_) {
      return damage(
          e.offset, e.offset,
          fmt::format("{} event after the closing Rotate", binlog::event_type_name(e.header.type)));
    }
    bytes_view body = e.body(fde);
    if (e.header.type == event_type::rotate) return on_rotate(e);
    event_role role = tb_.step(binlog::make_boundary_event(e.header, body, fde));
    if (role == event_role::broken) {
      return damage(in_trx_ ? trx_begin_ : e.offset, e.offset,
                    fmt::format("{} event cannot follow the events before it",
                                binlog::event_type_name(e.header.type)));
    }
    if (role == event_role::begins || role == event_role::whole) {
      in_trx_ = true;
      trx_begin_ = e.offset;
      auto g = binlog::gtid_of_event(e.header, body, fde);
      if (!g) return damage(e.offset, e.offset, "undecodable GTID event: " + g.error().message);
      pending_ = *g;
      if (pending_) check_duplicate(*pending_, e.offset);
    }
    if (role == event_role::ends || role == event_role::whole) {
      if (pending_) binlog::add_gtid(seen_, *pending_);
      pending_.reset();
      in_trx_ = false;
    }
  }

  void on_rotate(const binlog::raw_event& e) {
    if (in_trx_) {
      return damage(trx_begin_, e.offset,
                    fmt::format("Rotate inside the transaction begun at offset {}", trx_begin_));
    }
    if (!closed_) return damage(e.offset, e.offset, "Rotate in the file being written");
    rotated_ = true;
  }

  void check_duplicate(const binlog::transaction_gtid& g, std::uint64_t offset) {
    if (!already_stored(seen_, g)) return;
    ++out_.duplicate_gtids;
    if (!out_.first_duplicate) out_.first_duplicate = duplicate_gtid{gtid_text(g), name_, offset};
  }

  fs::path path_;
  std::string name_;
  bool closed_;
  gtid_state& seen_;
  store_verification& out_;
  binlog::transaction_boundary tb_;
  std::optional<binlog::transaction_gtid> pending_;
  bool in_trx_ = false;
  bool rotated_ = false;
  bool damage_ = false;
  std::uint64_t trx_begin_ = 0;
};

// Checks one file; `seen` carries the GTIDs stored before it (nullopt: start from its header).
void verify_one(const fs::path& dir, const file_info& f, bool closed,
                std::optional<gtid_state>& seen, store_verification& out) {
  std::error_code ec;
  if (!fs::exists(dir / f.name, ec)) return;  // purged meanwhile
  ++out.files;
  out.bytes += fs::file_size(dir / f.name, ec);
  auto header = read_file_header(dir / f.name);
  if (!header) {
    out.damaged.push_back(
        damaged_range{f.name, 4, 4, "unreadable header events: " + header.error().message});
    seen.reset();
    return;
  }
  if (seen && !same_gtids(*seen, header->before)) {
    out.gtid_mismatches.push_back(
        fmt::format("relay log {}: its header says the earlier files hold '{}' but they hold '{}'",
                    f.name, header->before.to_string(), seen->to_string()));
  }
  if (!seen) seen = header->before;
  binlog::file_reader_options opts;
  opts.assume_mariadb = header->fde.is_mariadb();
  file_verifier v(dir, f, closed, *seen, out);
  v.run(opts, header->end_offset);
  if (v.damaged()) seen.reset();  // what the rest of the file holds is unknown
}

}  // namespace

store_verification verify_store_files(const fs::path& dir, const std::vector<file_info>& files) {
  auto started = std::chrono::steady_clock::now();
  store_verification out;
  std::optional<gtid_state> seen;
  for (std::size_t i = 0; i < files.size(); ++i) {
    verify_one(dir, files[i], i + 1 < files.size(), seen, out);
  }
  out.elapsed_ms = std::uint64_t(std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::steady_clock::now() - started)
                                     .count());
  return out;
}

void log_verification(const store_verification& v) {
  log::info("relay log: verified {} file(s), {} bytes, in {} ms", v.files, v.bytes, v.elapsed_ms);
  for (const auto& d : v.damaged) {
    log::error("relay log {}: damaged at offset {}: {}; not served from offset {} on", d.file,
               d.event_offset, d.what, d.from);
  }
  constexpr std::size_t max_lines = 10;
  for (std::size_t i = 0; i < v.gtid_mismatches.size() && i < max_lines; ++i) {
    log::error("{}", v.gtid_mismatches[i]);
  }
  if (v.first_duplicate) {
    const auto& d = *v.first_duplicate;
    log::error("relay log: {} GTID(s) stored twice; the first is {} in {} at offset {}",
               v.duplicate_gtids, d.gtid, d.file, d.offset);
  }
}

std::string damaged_range_message(const damaged_range& d) {
  return fmt::format(
      "relay log {} is damaged at offset {} ({}); binrelay refuses to serve it from offset {} "
      "on: restore the file or let the replica start after it",
      d.file, d.event_offset, d.what, d.from);
}

}  // namespace binrelay::relay
