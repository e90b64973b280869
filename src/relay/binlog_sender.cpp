#include "relay/binlog_sender.h"

#include <algorithm>
#include <utility>

#include "binlog/event_encoders.h"
#include "binlog/event_header.h"
#include "binlog/transaction_gtid.h"
#include "relay/store_verify.h"

namespace binrelay::relay {
namespace {

std::string gtid_text(const binlog::transaction_gtid& t) {
  if (t.mariadb) return t.mariadb_gtid.to_string();
  std::string s = t.sid.to_string();
  if (!t.tag.empty()) s += ":" + t.tag;
  return s + ":" + std::to_string(t.gno);
}

struct vector_sink final : binlog_sender::event_sink {
  std::vector<std::vector<std::uint8_t>>& out;
  explicit vector_sink(std::vector<std::vector<std::uint8_t>>& o) : out(o) {}
  void on_event(bytes_view event) override { out.emplace_back(event.begin(), event.end()); }
};

bool starts_transaction(binlog::event_type type) {
  return type == binlog::event_type::gtid || type == binlog::event_type::anonymous_gtid ||
         type == binlog::event_type::gtid_tagged || type == binlog::event_type::mariadb_gtid;
}

}  // namespace

binlog_sender::binlog_sender(const relay_store& store, const dump_request& request,
                             sender_options options)
    : store_(&store), request_(request), options_(options) {}
binlog_sender::binlog_sender(binlog_sender&&) noexcept = default;
binlog_sender& binlog_sender::operator=(binlog_sender&&) noexcept = default;
binlog_sender::~binlog_sender() = default;

result<binlog_sender> binlog_sender::start(const relay_store& store, const dump_request& request,
                                           sender_options options) {
  auto where = find_dump_start(store.files(), store.retrieved(), request);
  if (!where) return std::move(where).error();
  if (auto d = store.damage_in(where->file); d && where->offset >= d->from) {
    return fatal_reading_binlog(damaged_range_message(*d));
  }
  binlog_sender s(store, request, options);
  auto opened = s.open(where->file, 4);
  if (!opened) return std::move(opened).error();
  bool finished = false;
  auto filled = s.file_->fill(s.readable_end(finished));
  if (!filled) return std::move(filled).error();
  auto fde_event = s.file_->next();
  if (!fde_event) return std::move(fde_event).error();
  auto fde = binlog::decode_format_description(*fde_event);
  if (!fde) return make_error(errc::corrupt, "{}: {}", where->file, fde.error().message);
  s.fde_ = std::move(*fde);
  std::vector<std::uint8_t> fde_copy(fde_event->begin(), fde_event->end());
  if (where->offset > 4) s.file_->seek(where->offset);
  s.pending_.push_back(s.artificial_rotate(where->offset, /*stream_start=*/true));
  s.pending_.push_back(std::move(fde_copy));
  return s;
}

result<void> binlog_sender::open(const std::string& name, std::uint64_t offset) {
  auto reader = event_map_reader::open(store_->options().directory / name, name, offset);
  if (!reader) return std::move(reader).error();
  file_.emplace(std::move(*reader));
  damage_ = store_->damage_in(name);
  return {};
}

std::uint64_t binlog_sender::readable_end(bool& finished) const {
  log_position end = store_->end_position();
  finished = end.file != file_->name();
  std::uint64_t limit = end.offset;
  if (finished) {
    auto size = file_->file_size();
    limit = size ? *size : file_->offset();
  }
  return damage_ ? std::min(limit, damage_->from) : limit;
}

result<bool> binlog_sender::is_skipped_gtid(bytes_view event, const binlog::event_header& h) {
  auto type = fde_.canonical_type(h.type);
  if (!starts_transaction(type)) return skipping_;
  std::size_t body_len = event.size() - binlog::event_header_size - fde_.checksum_length();
  auto g = binlog::gtid_of_event(h, event.subspan(binlog::event_header_size, body_len), fde_);
  if (!g) {
    return make_error(errc::corrupt, "{} at {}: {}", file_->name(), file_->offset() - event.size(),
                      g.error().message);
  }
  if (!*g) return false;
  const binlog::transaction_gtid& t = **g;
  bool skip = false;
  if (request_.how == dump_request::mode::mysql_gtid && !t.mariadb) {
    skip = request_.mysql_gtids.contains(t.sid, t.tag, t.gno);
  } else if (request_.how == dump_request::mode::mariadb_gtid && t.mariadb) {
    const gtid::mariadb_gtid* have = request_.mariadb_gtids.get(t.mariadb_gtid.domain_id);
    skip = have != nullptr && t.mariadb_gtid.seq_no <= have->seq_no;
  }
  if (skip) return true;
  last_gtid_ = t;
  if (request_.how == dump_request::mode::mariadb_gtid && !start_announced_) {
    start_announced_ = announce_start_ = true;
  }
  return false;
}

result<bool> binlog_sender::process(bytes_view event) {
  auto h = binlog::decode_event_header(event);
  if (!h)
    return make_error(errc::corrupt, "{} at {}: {}", file_->name(), file_->offset() - event.size(),
                      h.error().message);
  auto skipped = is_skipped_gtid(event, *h);
  if (!skipped) return std::move(skipped).error();
  skipping_ = *skipped;
  if (skipping_) return false;
  auto type = fde_.canonical_type(h->type);
  if (type == binlog::event_type::format_description) {
    auto fde = binlog::decode_format_description(event);
    if (!fde) return make_error(errc::corrupt, "{}: {}", file_->name(), fde.error().message);
    fde_ = std::move(*fde);
  } else if (type == binlog::event_type::rotate) {
    std::size_t name_len = event.size() - binlog::event_header_size - 8 - fde_.checksum_length();
    const auto* name = reinterpret_cast<const char*>(event.data()) + binlog::event_header_size + 8;
    rotate_to_.assign(name, name_len);
  }
  return true;
}

result<void> binlog_sender::move_to_next_file() {
  auto files = store_->files();
  for (std::size_t i = 0; i + 1 < files.size(); ++i) {
    if (files[i].name == file_->name()) return open(files[i + 1].name, 4);
  }
  return make_error(errc::not_found, "no relay log file follows {}", file_->name());
}

result<bool> binlog_sender::refill(event_sink& sink, std::size_t& count) {
  bool finished = false;
  std::uint64_t limit = readable_end(finished);
  auto got = file_->fill(limit);
  if (!got) return std::move(got).error();
  if (*got > 0) return true;
  if (damage_ && file_->offset() >= damage_->from) {
    return fatal_reading_binlog(damaged_range_message(*damage_));
  }
  if (!finished) return false;
  if (file_->offset() != limit) {
    return make_error(errc::corrupt, "{}: an event at {} crosses the end of the file",
                      file_->name(), file_->offset());
  }
  auto moved = move_to_next_file();
  if (!moved) return std::move(moved).error();
  auto rotate = artificial_rotate(4, /*stream_start=*/false);
  sink.on_event(rotate);
  ++count;
  return true;
}

result<std::size_t> binlog_sender::next_events(event_sink& sink, std::size_t max_bytes) {
  std::size_t count = 0;
  std::size_t bytes = 0;
  for (auto& p : pending_) {
    bytes += p.size();
    sink.on_event(p);
    ++count;
  }
  pending_.clear();
  while (bytes < max_bytes) {
    auto event = file_->next();
    if (!event) return std::move(event).error();
    if (event->empty()) {
      auto more = refill(sink, count);
      if (!more) return std::move(more).error();
      if (!*more) break;
      continue;
    }
    auto send = process(*event);
    if (!send) return std::move(send).error();
    if (!*send) continue;
    if (announce_start_) {
      auto list = start_gtid_list(file_->offset() - event->size());
      sink.on_event(list);
      announce_start_ = false;
      ++count;
    }
    bytes += event->size();
    sink.on_event(*event);
    ++count;
    if (!rotate_to_.empty()) {
      auto opened = open(std::exchange(rotate_to_, {}), 4);
      if (!opened) return std::move(opened).error();
    }
  }
  return count;
}

result<std::size_t> binlog_sender::next_events(std::vector<std::vector<std::uint8_t>>& out,
                                               std::size_t max_bytes) {
  vector_sink sink(out);
  return next_events(sink, max_bytes);
}

std::vector<std::uint8_t> binlog_sender::artificial_rotate(std::uint64_t position,
                                                           bool stream_start) const {
  binlog::event_header h;
  h.server_id = options_.server_id;
  h.flags = binlog::flag_artificial;
  binlog::rotate_event r{position, file_->name()};
  // After the first FDE the replica reads every event with that FDE's checksum (MariaDB's
  // sender also checksums its later fake rotates with the current file's algorithm).
  bool aware = options_.replica_checksum_aware || !stream_start;
  auto alg = aware ? fde_.checksum : binlog::checksum_alg::off;
  return binlog::encode_rotate_event(h, r, alg);
}

std::vector<std::uint8_t> binlog_sender::start_gtid_list(std::uint64_t position) const {
  binlog::event_header h;
  h.server_id = options_.server_id;
  h.log_pos = static_cast<std::uint32_t>(position);
  binlog::mariadb_gtid_list_event e;
  e.gtids = request_.mariadb_gtids.gtids();
  return binlog::encode_mariadb_gtid_list_event(h, e, fde_.checksum);
}

std::vector<std::uint8_t> binlog_sender::heartbeat() const {
  binlog::event_header h;
  h.server_id = options_.server_id;
  binlog::heartbeat_event e{options_.heartbeat_v2, file_->name(), file_->offset()};
  return binlog::encode_heartbeat_event(h, e, fde_.checksum);
}

log_position binlog_sender::position() const {
  return {file_->name(), file_->offset()};
}

std::string binlog_sender::last_gtid() const {
  return last_gtid_ ? gtid_text(*last_gtid_) : "";
}

}  // namespace binrelay::relay
