#pragma once
// Wire framing of the MySQL protocol: every payload travels as one or more frames
// `length u24 | sequence_id u8 | bytes[length]`. A payload of 0xFFFFFF bytes or more is split
// into frames of 0xFFFFFF bytes; a frame shorter than 0xFFFFFF ends the payload, so a payload
// whose size is a multiple of 0xFFFFFF ends with an empty frame. Sequence ids count every frame
// in both directions and restart at 0 with each command. See docs/protocol.md.
//
// Sans-I/O: nothing here touches a socket.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"

namespace binrelay::protocol {

// Appends the frames of `payload` to `out`, numbering them from `sequence`, which is advanced
// past the last frame written.
void append_frames(std::vector<std::uint8_t>& out, bytes_view payload, std::uint8_t& sequence);

// How packet_reader treats the sequence id of an incoming payload.
enum class sequence_check {
  strict,  // the first frame must carry the expected id (else errc::protocol_error)
  adopt,   // take the peer's id (the binlog stream after a semi-sync ACK)
};

// Incremental reassembly of payloads from received bytes. Feed whatever the transport
// delivered, then call next() until it yields nothing. Not thread-safe.
class packet_reader {
 public:
  // REQUIRES: max_payload_size > 0. A payload larger than this fails with errc::too_large as
  // soon as its frames announce it, before the bytes are buffered.
  explicit packet_reader(std::size_t max_payload_size = std::size_t(1) << 30)
      : max_payload_size_(max_payload_size) {}

  // Copies `data` into the reader's buffer.
  void feed(bytes_view data);
  // Room for at least `n` more bytes at the end of the buffer, for the transport to receive
  // into directly (no copy through a second buffer); commit() then says how many it wrote.
  // The span lives until the next call of any other member.
  std::span<std::uint8_t> prepare(std::size_t n);
  // REQUIRES: n <= the size of the span prepare() returned, and no call in between.
  void commit(std::size_t n) { end_ += n; }

  // The next whole payload, or std::nullopt when more bytes are needed. `sequence` is the id
  // expected on the first frame and is advanced past every frame consumed. After an error the
  // reader's state is unspecified; the connection must be dropped.
  result<std::optional<std::vector<std::uint8_t>>> next(
      std::uint8_t& sequence, sequence_check check = sequence_check::strict);

  // As next(), without copying a payload that came in one frame: a view into the reader's
  // buffer. A payload of several frames is reassembled into a second buffer. The view lives
  // until the next call of feed(), next() or next_view().
  result<std::optional<bytes_view>> next_view(std::uint8_t& sequence,
                                              sequence_check check = sequence_check::strict);

  // Bytes received but not yet returned as payloads.
  std::size_t buffered() const { return end_ - consumed_; }
  // Changes the limit for the payloads not yet returned (e.g. raised after a login).
  void set_max_payload_size(std::size_t n) { max_payload_size_ = n; }
  std::size_t max_payload_size() const { return max_payload_size_; }

 private:
  // Moves the unconsumed bytes to the front when they are few or no room is left behind them.
  void compact();
  // Where the next whole payload's frames end in buffer_ (nullopt: incomplete), checking ids
  // and size; `total` gets the payload size, `sequence` the id after its last frame.
  result<std::optional<std::size_t>> scan(std::uint8_t& sequence, sequence_check check,
                                          std::size_t& total) const;
  // Copies the payload of the frames in [consumed_, end) to `out` and consumes them.
  void take(std::size_t end, std::vector<std::uint8_t>& out);

  std::size_t max_payload_size_;
  std::vector<std::uint8_t> buffer_;  // buffer_[consumed_, end_) holds received bytes
  std::size_t consumed_ = 0;
  std::size_t end_ = 0;
  std::vector<std::uint8_t> joined_;  // next_view's multi-frame payload
};

}  // namespace binrelay::protocol
