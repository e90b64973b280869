#include "relay/relay_store.h"

#include "common/log.h"
#include "relay/relay_store_writer.h"
#include "relay/store_recovery.h"
#include "relay/store_verify.h"

namespace binrelay::relay {

relay_store::relay_store(const store_options& options) : options_(options) {}

relay_store::~relay_store() {
  syncer_.reset();
  std::lock_guard lock(write_mu_);
  if (auto f = writer_->flush(true); !f) log::error("relay log close: {}", f.error().message);
}

result<std::unique_ptr<relay_store>> relay_store::open(const store_options& options) {
  std::error_code ec;
  std::filesystem::create_directories(options.directory, ec);
  if (ec) {
    return make_error(errc::io_error, "cannot create relay log directory {}: {}",
                      options.directory.string(), ec.message());
  }
  auto recovered = recover_store(options.directory, options.basename, options.initial);
  if (!recovered) return recovered.error();
  store_verification verified = verify_store_files(options.directory, recovered->files);
  log_verification(verified);
  std::unique_ptr<relay_store> store(new relay_store(options));
  store->writer_ = std::make_unique<relay_store_writer>(options, std::move(*recovered));
  if (auto s = store->writer_->start(); !s) return s.error();
  store->writer_->fill_snapshot(store->published_);
  store->published_.verification = std::move(verified);
  if (options.sync.mode == sync_mode::interval) {
    relay_store* self = store.get();
    store->syncer_ = std::make_unique<periodic_task>(options.sync.interval, [self] {
      std::lock_guard lock(self->write_mu_);
      self->sync_in_background_locked();
    });
  }
  return store;
}

void relay_store::sync_in_background_locked() {
  if (sync_failure_) return;  // not retried: see sync_policy.h
  auto r = writer_->sync_if_dirty();
  if (r) return;
  sync_failure_ = std::move(r).error();
  sync_failure_->message =
      fmt::format("background sync failed, no more writes until the relay log is reopened: {}",
                  sync_failure_->message);
  log::error("{}", sync_failure_->message);
}

result<void> relay_store::check_usable_locked() const {
  if (sync_failure_) return *sync_failure_;
  return {};
}

result<void> relay_store::publish_locked() {
  if (!writer_->has_unpublished()) return {};
  if (auto f = writer_->flush(false); !f) return f;
  log_position end;
  bool moved = false;
  {
    std::lock_guard lock(state_mu_);
    log_position old = published_.end;
    writer_->fill_snapshot(published_);
    end = published_.end;
    moved = end != old;
  }
  if (moved && on_end_change_) on_end_change_(end);
  return {};
}

result<void> relay_store::append(bytes_view raw_event) {
  std::lock_guard lock(write_mu_);
  if (auto u = check_usable_locked(); !u) return u;
  auto r = writer_->append(raw_event);
  auto p = publish_locked();
  note_io_failure_locked(r);
  note_io_failure_locked(p);
  if (!r) return r;
  return p;
}

void relay_store::note_io_failure_locked(const result<void>& r) {
  if (r || r.error().code != errc::io_error) return;
  if (!writer_->sync_failed()) {
    io_failed_ = true;  // a write: discard_partial_transaction() rewinds to what the file holds
    return;
  }
  // A failed fdatasync: what the file holds proves nothing (sync_policy.h); stop as after a
  // failed background sync.
  if (sync_failure_) return;
  sync_failure_ = r.error();
  sync_failure_->message = fmt::format(
      "sync failed, no more writes until the relay log is reopened: {}", sync_failure_->message);
  log::error("{}", sync_failure_->message);
}

result<void> relay_store::append_batch(std::span<const bytes_view> raw_events) {
  std::lock_guard lock(write_mu_);
  if (auto u = check_usable_locked(); !u) return u;
  result<void> r;
  for (bytes_view e : raw_events) {
    r = writer_->append(e);
    if (!r) break;
  }
  auto p = publish_locked();
  note_io_failure_locked(r);
  note_io_failure_locked(p);
  if (!r) return r;
  return p;
}

result<void> relay_store::discard_partial_transaction() {
  std::lock_guard lock(write_mu_);
  if (!io_failed_) return writer_->discard_partial_transaction();
  if (auto w = writer_->rewind_after_io_error(); !w) return w;
  io_failed_ = false;
  return publish_locked();
}

result<void> relay_store::flush() {
  std::lock_guard lock(write_mu_);
  if (auto u = check_usable_locked(); !u) return u;
  auto f = writer_->flush(true);
  if (f) f = publish_locked();
  note_io_failure_locked(f);
  return f;
}

result<void> relay_store::rotate() {
  std::lock_guard lock(write_mu_);
  if (auto u = check_usable_locked(); !u) return u;
  auto r = writer_->request_rotation();
  auto p = publish_locked();
  note_io_failure_locked(r);
  note_io_failure_locked(p);
  if (!r) return r;
  return p;
}

result<std::size_t> relay_store::purge_to(std::string_view file) {
  std::lock_guard lock(write_mu_);
  const auto& files = writer_->files();
  std::size_t i = 0;
  while (i < files.size() && files[i].name != file) ++i;
  if (i == files.size()) {
    return make_error(errc::not_found, "relay log {} is not in the index", file);
  }
  std::size_t n = 0;
  while (n < i && !(options_.file_in_use && options_.file_in_use(files[n].name))) ++n;
  auto purged = writer_->purge_first(n);
  if (auto p = publish_locked(); !p) return p.error();
  return purged;
}

result<std::size_t> relay_store::apply_retention() {
  std::lock_guard lock(write_mu_);
  auto purged = writer_->apply_retention();
  if (auto p = publish_locked(); !p) return p.error();
  return purged;
}

result<std::size_t> relay_store::set_retention(const retention_limits& limits) {
  std::lock_guard lock(write_mu_);
  writer_->set_retention(limits);
  auto purged = writer_->apply_retention();
  if (auto p = publish_locked(); !p) return p.error();
  return purged;
}

gtid_state relay_store::retrieved() const {
  std::lock_guard lock(state_mu_);
  return published_.retrieved;
}

gtid::gtid_set relay_store::retrieved_gtids() const {
  std::lock_guard lock(state_mu_);
  return published_.retrieved.mysql;
}

gtid::mariadb_gtid_position relay_store::retrieved_position() const {
  std::lock_guard lock(state_mu_);
  return published_.retrieved.position;
}

std::vector<file_info> relay_store::files() const {
  std::lock_guard lock(state_mu_);
  return published_.files;
}

log_position relay_store::end_position() const {
  std::lock_guard lock(state_mu_);
  return published_.end;
}

std::uint32_t relay_store::end_timestamp() const {
  std::lock_guard lock(state_mu_);
  return published_.end_timestamp;
}

upstream_position relay_store::upstream() const {
  std::lock_guard lock(state_mu_);
  return published_.upstream;
}

store_verification relay_store::verification() const {
  std::lock_guard lock(state_mu_);
  return published_.verification;
}

std::optional<damaged_range> relay_store::damage_in(std::string_view file) const {
  std::lock_guard lock(state_mu_);
  for (const auto& d : published_.verification.damaged) {
    if (d.file == file) return d;
  }
  return std::nullopt;
}

void relay_store::set_on_end_change(std::function<void(const log_position&)> callback) {
  std::lock_guard lock(write_mu_);
  on_end_change_ = std::move(callback);
}

}  // namespace binrelay::relay
