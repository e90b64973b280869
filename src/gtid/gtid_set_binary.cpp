// gtid_set::encode_binary / decode_binary: the Gtid_set encoding of Previous_gtids bodies and
// COM_BINLOG_DUMP_GTID (docs/gtid.md, "Binary"; MySQL sql/rpl_gtid_set.cc).

#include "gtid/gtid_set.h"
#include "gtid/interval_list.h"

namespace binrelay::gtid {
namespace {

constexpr std::uint64_t format_untagged = 0;
constexpr std::uint64_t format_tagged = 1;
constexpr std::size_t interval_size = 16;

// The tag's serialization varint: one byte `length << 1` (lengths <= 32 fit in one byte).
constexpr std::uint8_t encode_tag_length(std::size_t n) {
  return static_cast<std::uint8_t>(n << 1);
}

bool has_tags(const std::vector<gtid_set::entry>& entries) {
  for (const auto& e : entries) {
    if (!e.tag.empty()) return true;
  }
  return false;
}

class binary_decoder {
 public:
  explicit binary_decoder(bytes_view data) : data_(data), in_(data) {}

  result<gtid_set> run() {
    if (data_.size() < 8) {
      return make_error(errc::truncated,
                        "Gtid_set encoding: {} bytes, need at least 8 for the count", data_.size());
    }
    const std::uint64_t head = in_.u64();
    const std::uint64_t format = head >> 56;
    std::uint64_t n_sids = head & 0x00FFFFFFFFFFFFFFull;
    if (format == format_tagged) {
      n_sids = (head >> 8) & 0x0000FFFFFFFFFFFFull;
    } else if (format != format_untagged) {
      return make_error(errc::corrupt, "Gtid_set encoding: unknown format {} in the first byte",
                        format);
    }
    tagged_ = format == format_tagged;
    // Each entry takes at least 16 (uuid) + 8 (count) bytes, plus one for a tag.
    const std::uint64_t min_entry = tagged_ ? 25 : 24;
    if (n_sids > in_.remaining() / min_entry) {
      return make_error(errc::truncated, "Gtid_set encoding: {} entries cannot fit in {} bytes",
                        n_sids, data_.size());
    }
    for (std::uint64_t i = 0; i < n_sids; ++i) {
      if (auto r = entry(i, n_sids); !r) return r.error();
    }
    if (!in_.empty()) {
      return make_error(errc::corrupt, "Gtid_set encoding: {} trailing bytes after {} entries",
                        in_.remaining(), n_sids);
    }
    return std::move(set_);
  }

 private:
  result<void> entry(std::uint64_t index, std::uint64_t n_sids) {
    const std::size_t at = in_.position();
    bytes_view sid_bytes = in_.bytes(uuid::size);
    if (!in_.ok()) return truncated(at, index, n_sids, "uuid");
    const uuid sid = uuid::from_bytes(sid_bytes);
    std::string_view tag;
    if (tagged_) {
      auto t = read_tag(index);
      if (!t) return t.error();
      tag = *t;
    }
    const std::uint64_t n_intervals = in_.u64();
    if (!in_.ok()) return truncated(at, index, n_sids, "interval count");
    if (n_intervals > in_.remaining() / interval_size) {
      return make_error(errc::truncated,
                        "Gtid_set encoding: entry {} ({}) at offset {} claims {} intervals, "
                        "only {} bytes remain",
                        index, sid.to_string(), at, n_intervals, in_.remaining());
    }
    std::vector<interval> intervals(n_intervals);
    for (interval& iv : intervals) {
      iv.start = in_.u64();
      iv.end_exclusive = in_.u64();
    }
    if (!interval_list::is_valid(intervals)) {
      return make_error(errc::corrupt,
                        "Gtid_set encoding: entry {} ({}) at offset {}: intervals are not "
                        "sorted, non-touching and within 1..{} with start < end",
                        index, sid.to_string(), at, max_gno);
    }
    // Entries normally arrive sorted and distinct; merge anyway, as MySQL does.
    for (const interval& iv : intervals) set_.add_interval(sid, tag, iv.start, iv.end_exclusive);
    return {};
  }

  result<std::string_view> read_tag(std::uint64_t index) {
    const std::size_t at = in_.position();
    const std::uint8_t len_byte = in_.u8();
    if ((len_byte & 1) != 0 || (len_byte >> 1) > tag_max_length) {
      return make_error(errc::corrupt,
                        "Gtid_set encoding: entry {}: tag length byte 0x{:02x} at offset {} "
                        "exceeds {} characters",
                        index, len_byte, at, tag_max_length);
    }
    std::string_view tag = in_.str(len_byte >> 1);
    if (!in_.ok()) {
      return make_error(errc::truncated, "Gtid_set encoding: entry {}: tag at offset {} truncated",
                        index, at);
    }
    if (!is_normalised_tag(tag)) {
      return make_error(errc::corrupt,
                        "Gtid_set encoding: entry {}: tag at offset {} is not a lowercase "
                        "[a-z_][a-z0-9_]* name",
                        index, at);
    }
    return tag;
  }

  error truncated(std::size_t at, std::uint64_t index, std::uint64_t n_sids,
                  std::string_view field) const {
    return make_error(errc::truncated,
                      "Gtid_set encoding: entry {} of {} at offset {}: input ends in the {}", index,
                      n_sids, at, field);
  }

  bytes_view data_;
  byte_reader in_;
  bool tagged_ = false;
  gtid_set set_;
};

}  // namespace

result<gtid_set> gtid_set::decode_binary(bytes_view data) {
  return binary_decoder(data).run();
}

std::size_t gtid_set::encoded_binary_size() const {
  const bool tagged = has_tags(entries_);
  std::size_t n = 8;
  for (const entry& e : entries_) {
    n += uuid::size + 8 + e.intervals.size() * interval_size;
    if (tagged) n += 1 + e.tag.size();
  }
  return n;
}

void gtid_set::encode_binary(std::vector<std::uint8_t>& out) const {
  const bool tagged = has_tags(entries_);
  out.reserve(out.size() + encoded_binary_size());
  byte_writer w(out);
  const std::uint64_t n = entries_.size();
  w.u64(tagged ? (format_tagged << 56) | (n << 8) | format_tagged : n);
  for (const entry& e : entries_) {
    w.bytes(e.sid.bytes);
    if (tagged) {
      w.u8(encode_tag_length(e.tag.size()));
      w.str(e.tag);
    }
    w.u64(e.intervals.size());
    for (const interval& iv : e.intervals) {
      w.u64(iv.start);
      w.u64(iv.end_exclusive);
    }
  }
}

}  // namespace binrelay::gtid
