#include "relay/relay_store_writer.h"

#include "common/crc32.h"

#include <ctime>

#include "binlog/checksum.h"
#include "binlog/control_events.h"
#include "common/log.h"
#include "relay/file_header.h"
#include "relay/relay_index.h"

namespace binrelay::relay {

using binlog::event_type;

relay_store_writer::relay_store_writer(const store_options& options, recovery_result recovered)
    : options_(options),
      names_(std::move(recovered.names)),
      files_(std::move(recovered.files)),
      retrieved_(std::move(recovered.retrieved)),
      end_event_timestamp_(recovered.last_timestamp) {
  if (recovered.last_format) file_format_ = *recovered.last_format;
  clock_.resume_file(recovered.last_sequence_number);
  if (!files_.empty()) next_number_ = files_.back().number + 1;
}

result<void> relay_store_writer::start() {
  if (files_.empty()) return {};
  auto w = binlog::file_writer::open_existing(options_.directory / names_.back(), file_options());
  if (!w) return w.error();
  file_.emplace(std::move(*w));
  committed_end_ = file_->size();
  return {};
}

std::uint32_t relay_store_writer::now_unix() const {
  return std::uint32_t(std::time(nullptr));
}

binlog::file_writer_options relay_store_writer::file_options() const {
  binlog::file_writer_options o;
  o.fdatasync = options_.sync.fdatasync;
  return o;
}

error relay_store_writer::at_current(error e) const {
  std::string where = file_
                          ? fmt::format("relay log {} at offset {}: ", names_.back(), file_->size())
                          : std::string("relay log: ");
  e.message = where + e.message;
  return e;
}

result<void> relay_store_writer::append(bytes_view raw) {
  auto h = binlog::decode_event_header(raw);
  if (!h) return at_current(h.error());
  if (h->event_size != raw.size()) {
    return at_current(make_error(errc::corrupt, "{} event claims {} bytes but {} were given",
                                 binlog::event_type_name(h->type), h->event_size, raw.size()));
  }
  if (h->type == event_type::format_description) return on_format_description(*h, raw);
  if (!have_upstream_format_ && h->type == event_type::rotate) return on_first_rotate(*h, raw);
  if (!have_upstream_format_) {
    return at_current(make_error(errc::protocol_error, "{} event before the upstream's Format_desc",
                                 binlog::event_type_name(h->type)));
  }
  std::size_t ck = upstream_format_.checksum_length();
  if (raw.size() < binlog::event_header_size + ck) {
    return at_current(make_error(errc::corrupt, "{} event of {} bytes has no room for its checksum",
                                 binlog::event_type_name(h->type), raw.size()));
  }
  if (auto v = binlog::verify_event_checksum(raw, upstream_format_.checksum); !v) {
    return at_current(v.error());
  }
  bytes_view body =
      raw.subspan(binlog::event_header_size, raw.size() - binlog::event_header_size - ck);
  if (is_control_event(h->type)) {
    if (boundary_.in_transaction() && h->type == event_type::rotate) {
      return at_current(
          make_error(errc::corrupt, "Rotate inside a transaction begun at offset {}", trx_begin_));
    }
    return on_control(*h, body);
  }
  binlog::event_role role = boundary_.step(binlog::make_boundary_event(*h, body, upstream_format_));
  if (role == binlog::event_role::broken) {
    return at_current(make_error(errc::corrupt,
                                 "{} event cannot follow the open transaction begun at offset {}; "
                                 "discard the partial transaction",
                                 binlog::event_type_name(h->type), trx_begin_));
  }
  if (role == binlog::event_role::begins || role == binlog::event_role::whole) {
    if (auto b = begin_transaction(); !b) return b;
    auto g = binlog::gtid_of_event(*h, body, upstream_format_);
    if (!g) return at_current(g.error());
    trx_gtid_ = *g;
  }
  if (auto w = write_event(*h, raw, body); !w) return w;
  if (role == binlog::event_role::ends || role == binlog::event_role::whole) end_transaction(*h);
  if ((role == binlog::event_role::ends || role == binlog::event_role::whole) &&
      (rotation_requested_ || file_->size() >= options_.max_file_size)) {
    return rotate_now();
  }
  return {};
}

// A dump starts with an artificial ROTATE naming the source's file, before any FDE, so the
// checksum algorithm is not known yet: it carries a CRC32 iff its last 4 bytes are the CRC32
// of the rest (what the connection negotiated).
result<void> relay_store_writer::on_first_rotate(const binlog::event_header& h, bytes_view raw) {
  bytes_view body = raw.subspan(binlog::event_header_size);
  if (raw.size() >= binlog::event_header_size + 8 + binlog::checksum_size &&
      crc32(raw.first(raw.size() - binlog::checksum_size)) ==
          load_u32(raw.data() + raw.size() - binlog::checksum_size)) {
    body = body.first(body.size() - binlog::checksum_size);
  }
  auto r = binlog::decode_rotate_event(h, body, upstream_format_);
  if (!r) return at_current(r.error());
  upstream_ = {std::string(r->new_log_name), r->position};
  unpublished_ = true;
  return {};
}

result<void> relay_store_writer::on_format_description(const binlog::event_header& h,
                                                       bytes_view raw) {
  if (boundary_.in_transaction()) {
    return at_current(make_error(
        errc::corrupt, "Format_desc inside a transaction begun at offset {}", trx_begin_));
  }
  auto f = binlog::decode_format_description(raw);
  if (!f) return at_current(f.error());
  if (f->checksum == binlog::checksum_alg::crc32) {
    if (auto v = binlog::verify_event_checksum(raw, f->checksum); !v) return at_current(v.error());
  }
  if (file_ && !same_format(file_format_, *f)) rotation_pending_ = true;
  upstream_format_ = std::move(*f);
  have_upstream_format_ = true;
  clock_.start_upstream_run();
  if (h.log_pos != 0) upstream_.position = h.log_pos;
  unpublished_ = true;
  return {};
}

result<void> relay_store_writer::on_control(const binlog::event_header& h, bytes_view body) {
  if (h.type == event_type::rotate) {
    auto r = binlog::decode_rotate_event(h, body, upstream_format_);
    if (!r) return at_current(r.error());
    upstream_ = {std::string(r->new_log_name), r->position};
    clock_.start_upstream_run();
  } else if (h.type == event_type::heartbeat || h.type == event_type::heartbeat_v2) {
    auto hb = binlog::decode_heartbeat_event(h, body, upstream_format_);
    if (!hb) return at_current(hb.error());
    if (!hb->log_filename.empty()) upstream_.file = std::string(hb->log_filename);
    upstream_.position = hb->log_position;
  }
  unpublished_ = true;
  return {};
}

result<void> relay_store_writer::begin_transaction() {
  if (!file_ || rotation_pending_) {
    if (auto r = rotate_now(); !r) return r;
  }
  trx_begin_ = file_->size();
  clock_at_begin_ = clock_;
  trx_gtid_.reset();
  return {};
}

result<void> relay_store_writer::write_event(const binlog::event_header& h, bytes_view raw,
                                             bytes_view body) {
  std::uint64_t end = file_->size() + raw.size();
  if (end > 0xFFFFFFFFull) {
    return at_current(make_error(errc::too_large,
                                 "{} event would end at {}, past the 4 GiB a binlog position holds",
                                 binlog::event_type_name(h.type), end));
  }
  auto copy = file_->append_mutable(raw);
  if (!copy) return at_current(copy.error());
  std::uint8_t* event = copy->data();
  store_u32(event + binlog::log_pos_offset, std::uint32_t(end));
  if (!file_format_.is_mariadb()) {
    if (auto clock = binlog::read_logical_clock(h.type, body)) {
      binlog::write_logical_clock(event + binlog::event_header_size, clock_.map(*clock));
    }
  }
  if (file_format_.checksum == binlog::checksum_alg::crc32) {
    std::size_t n = copy->size() - binlog::checksum_size;
    store_u32(event + n, binlog::compute_event_crc32(bytes_view(event, n)));
  }
  dirty_ = true;
  return {};
}

void relay_store_writer::end_transaction(const binlog::event_header& h) {
  committed_end_ = file_->size();
  if (trx_gtid_) binlog::add_gtid(retrieved_, *trx_gtid_);
  trx_gtid_.reset();
  if (h.log_pos != 0) upstream_.position = h.log_pos;
  last_timestamp_ = now_unix();
  if (h.timestamp != 0) end_event_timestamp_ = h.timestamp;
  committed_since_sync_ = true;
  unpublished_ = true;
}

result<void> relay_store_writer::discard_partial_transaction() {
  // The in-memory state is reset first: whatever the truncation says, the next append starts
  // outside any transaction.
  if (boundary_.in_transaction()) clock_ = clock_at_begin_;
  boundary_.reset();
  trx_gtid_.reset();
  clock_.start_upstream_run();
  if (file_ && file_->size() > committed_end_) {
    std::uint64_t dropped = file_->size() - committed_end_;
    if (auto t = file_->truncate_to(committed_end_); !t) return at_current(t.error());
    log::warn("relay log {}: discarded {} bytes of a partial transaction after offset {}",
              names_.back(), dropped, committed_end_);
  }
  return {};
}

result<void> relay_store_writer::rewind_after_io_error() {
  boundary_.reset();
  trx_gtid_.reset();
  if (!file_) return {};
  file_->discard_buffered();
  auto s = scan_relay_file(options_.directory / names_.back());
  if (!s) return at_current(s.error());
  std::uint64_t before = file_->size();
  if (s->committed_end < before) {
    if (auto t = file_->truncate_to(s->committed_end); !t) return at_current(t.error());
  }
  committed_end_ = s->committed_end;
  retrieved_ = s->after;
  clock_ = logical_clock_rewriter{};
  clock_.resume_file(s->last_sequence_number);
  clock_.start_upstream_run();
  dirty_ = committed_since_sync_ = true;
  unpublished_ = true;
  log::warn(
      "relay log {}: after a failed write, resuming after the last complete transaction "
      "in the file, at offset {} ({} bytes dropped)",
      names_.back(), committed_end_, before - committed_end_);
  return {};
}

result<void> relay_store_writer::request_rotation() {
  if (!file_) return {};
  if (boundary_.in_transaction()) {
    rotation_requested_ = true;
    return {};
  }
  return rotate_now();
}

result<void> relay_store_writer::rotate_now() {
  if (auto c = close_current_file(); !c) return c;
  if (auto n = create_next_file(); !n) return n;
  if (options_.retention.max_total_size != 0 || options_.retention.max_age.count() != 0) {
    if (auto p = apply_retention(); !p) log::error("relay log retention: {}", p.error().message);
  }
  return {};
}

result<void> relay_store_writer::close_current_file() {
  if (!file_) return {};
  header_params p{options_.server_id, now_unix()};
  auto rotate = encode_rotate(relay_file_name(options_.basename, next_number_), file_->size(),
                              file_format_.checksum, p);
  if (auto w = file_->append(rotate); !w) return at_current(w.error());
  if (auto s = file_->sync(); !s) return at_current(s.error());
  files_.back().size = file_->size();
  files_.back().last_write_unix = now_unix();
  if (auto c = file_->close(); !c) return c;
  file_.reset();
  files_changed_ = true;
  return {};
}

result<void> relay_store_writer::create_next_file() {
  std::string name = relay_file_name(options_.basename, next_number_);
  auto w = binlog::file_writer::create(options_.directory / name, file_options());
  if (!w) return w.error();
  // A file that did not make it into the index is removed, so a retry can create it again.
  auto abandon = [&](result<void> failed) {
    std::error_code ec;
    std::filesystem::remove(options_.directory / name, ec);
    return failed;
  };
  retrieved_.mariadb = upstream_format_.is_mariadb();
  header_params p{options_.server_id, now_unix()};
  auto header = encode_file_header(upstream_format_, retrieved_, p);
  if (auto a = w->append(bytes_view(header).subspan(4)); !a) return abandon(a);
  if (auto s = w->sync(); !s) return abandon(s);
  names_.push_back(name);
  if (auto i = write_index(options_.directory, options_.basename, names_); !i) {
    names_.pop_back();
    return abandon(i);
  }
  file_.emplace(std::move(*w));
  file_format_ = upstream_format_;
  committed_end_ = file_->size();
  files_.push_back(
      file_info{name, next_number_, committed_end_, retrieved_, p.timestamp, p.timestamp});
  ++next_number_;
  clock_.start_file();
  rotation_pending_ = rotation_requested_ = false;
  dirty_ = committed_since_sync_ = false;
  files_changed_ = unpublished_ = true;
  log::info("relay log {}: started (after {})", name,
            retrieved_.to_string().empty() ? "no GTIDs" : retrieved_.to_string());
  return {};
}

result<void> relay_store_writer::flush(bool sync) {
  if (!file_) return {};
  if (auto f = file_->flush(); !f) return at_current(f.error());
  bool policy = options_.sync.mode == sync_mode::per_transaction && committed_since_sync_;
  if (sync || policy) {
    if (auto s = file_->sync(); !s) return at_current(s.error());
    dirty_ = committed_since_sync_ = false;
  }
  return {};
}

result<void> relay_store_writer::sync_if_dirty() {
  if (!file_ || !dirty_) return {};
  return flush(true);
}

result<std::size_t> relay_store_writer::purge_first(std::size_t n) {
  if (files_.empty()) return std::size_t(0);
  n = std::min(n, files_.size() - 1);
  if (n == 0) return std::size_t(0);
  std::vector<std::string> kept(names_.begin() + std::ptrdiff_t(n), names_.end());
  if (auto i = write_index(options_.directory, options_.basename, kept); !i) return i.error();
  for (std::size_t k = 0; k < n; ++k) {
    std::error_code ec;
    std::filesystem::remove(options_.directory / names_[k], ec);
    if (ec)
      log::warn("relay log {}: purged from the index but not deleted: {}", names_[k], ec.message());
  }
  log::info("relay log: purged {} file(s), {} .. {}", n, names_.front(), names_[n - 1]);
  names_ = std::move(kept);
  files_.erase(files_.begin(), files_.begin() + std::ptrdiff_t(n));
  files_changed_ = unpublished_ = true;
  return n;
}

result<std::size_t> relay_store_writer::apply_retention() {
  std::vector<retention_file> rf;
  for (const auto& f : files_) rf.push_back({f.name, f.size, f.last_write_unix});
  if (file_ && !rf.empty()) rf.back().size = file_->size();
  std::size_t n = files_to_purge(rf, options_.retention, now_unix(), options_.file_in_use);
  return purge_first(n);
}

void relay_store_writer::fill_snapshot(store_snapshot& s) {
  s.end = file_ ? log_position{names_.back(), committed_end_} : log_position{};
  s.retrieved = retrieved_;
  s.upstream = upstream_;
  s.end_timestamp = end_event_timestamp_;
  if (files_changed_) s.files = files_;
  if (file_ && !s.files.empty()) {
    s.files.back().size = committed_end_;
    if (last_timestamp_ != 0) s.files.back().last_write_unix = last_timestamp_;
  }
  files_changed_ = false;
  unpublished_ = false;
}

}  // namespace binrelay::relay
