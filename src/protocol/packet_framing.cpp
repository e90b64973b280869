#include "protocol/packet_framing.h"

#include <algorithm>
#include <cstring>

#include "protocol/constants.h"

namespace binrelay::protocol {

void append_frames(std::vector<std::uint8_t>& out, bytes_view payload, std::uint8_t& sequence) {
  std::size_t offset = 0;
  while (true) {
    std::size_t n = std::min(payload.size() - offset, max_frame_payload);
    byte_writer w(out);
    w.u24(std::uint32_t(n));
    w.u8(sequence++);
    w.bytes(payload.subspan(offset, n));
    offset += n;
    if (n < max_frame_payload) return;
  }
}

void packet_reader::feed(bytes_view data) {
  auto room = prepare(data.size());
  if (!data.empty()) std::memcpy(room.data(), data.data(), data.size());
  commit(data.size());
}

std::span<std::uint8_t> packet_reader::prepare(std::size_t n) {
  compact();
  if (buffer_.size() - end_ < n) buffer_.resize(end_ + n);
  return std::span<std::uint8_t>(buffer_.data() + end_, buffer_.size() - end_);
}

void packet_reader::compact() {
  if (consumed_ == 0) return;
  std::size_t unconsumed = end_ - consumed_;
  if (unconsumed == 0 || unconsumed <= consumed_) {
    if (unconsumed > 0) std::memmove(buffer_.data(), buffer_.data() + consumed_, unconsumed);
    consumed_ = 0;
    end_ = unconsumed;
  }
}

result<std::optional<std::size_t>> packet_reader::scan(std::uint8_t& sequence, sequence_check check,
                                                       std::size_t& total) const {
  std::size_t pos = consumed_;
  total = 0;
  std::uint8_t expected = sequence;
  bool first = true;
  while (true) {
    if (end_ - pos < frame_header_size) return std::optional<std::size_t>();
    std::size_t len = load_le<3>(buffer_.data() + pos);
    std::uint8_t id = buffer_[pos + 3];
    if (first && check == sequence_check::adopt) expected = id;
    if (id != expected) {
      return make_error(errc::protocol_error,
                        "packet out of order: sequence id {} where {} was expected", id, expected);
    }
    ++expected;
    first = false;
    total += len;
    if (total > max_payload_size_) {
      return make_error(errc::too_large,
                        "packet payload of at least {} bytes exceeds the limit of {} bytes", total,
                        max_payload_size_);
    }
    if (end_ - pos - frame_header_size < len) return std::optional<std::size_t>();
    pos += frame_header_size + len;
    if (len < max_frame_payload) break;
  }
  sequence = expected;
  return std::optional(pos);
}

void packet_reader::take(std::size_t end, std::vector<std::uint8_t>& out) {
  while (consumed_ < end) {
    std::size_t len = load_le<3>(buffer_.data() + consumed_);
    const std::uint8_t* begin = buffer_.data() + consumed_ + frame_header_size;
    out.insert(out.end(), begin, begin + len);
    consumed_ += frame_header_size + len;
  }
}

result<std::optional<std::vector<std::uint8_t>>> packet_reader::next(std::uint8_t& sequence,
                                                                     sequence_check check) {
  std::size_t total = 0;
  std::uint8_t after = sequence;
  auto end = scan(after, check, total);
  if (!end) return std::move(end).error();
  if (!*end) return std::optional<std::vector<std::uint8_t>>();
  std::vector<std::uint8_t> payload;
  payload.reserve(total);
  take(**end, payload);
  sequence = after;
  return std::optional(std::move(payload));
}

result<std::optional<bytes_view>> packet_reader::next_view(std::uint8_t& sequence,
                                                           sequence_check check) {
  std::size_t total = 0;
  std::uint8_t after = sequence;
  auto end = scan(after, check, total);
  if (!end) return std::move(end).error();
  if (!*end) return std::optional<bytes_view>();
  sequence = after;
  if (**end - consumed_ == frame_header_size + total) {
    bytes_view v(buffer_.data() + consumed_ + frame_header_size, total);
    consumed_ = **end;
    return std::optional(v);
  }
  joined_.clear();
  take(**end, joined_);
  return std::optional(bytes_view(joined_));
}

}  // namespace binrelay::protocol
