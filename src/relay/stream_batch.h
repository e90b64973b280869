#pragma once
// stream_batch: one write of a binlog dump. A binlog_sender::event_sink that frames each event
// it receives as a stream packet (`0x00 | event`, protocol/binlog_stream.h) straight into one
// reused buffer, so a batch of events costs one copy per event, no allocation once the buffer
// has grown, and one socket write (protocol::server_connection::send_frames). It also counts
// what it framed and remembers the timestamp of the newest real event (artificial events carry
// timestamp 0), for the replica registry's lag.
//
// Sans-I/O; not thread-safe (one per replica session).

#include <cstdint>
#include <vector>

#include "relay/binlog_sender.h"

namespace binrelay::relay {

class stream_batch final : public binlog_sender::event_sink {
 public:
  // Starts an empty batch whose first packet gets sequence id `first_sequence`.
  void reset(std::uint8_t first_sequence);
  void on_event(bytes_view event) override;

  bytes_view frames() const { return frames_; }
  // The sequence id after the last frame.
  std::uint8_t next_sequence() const { return sequence_; }
  std::uint64_t event_bytes() const { return event_bytes_; }  // since reset()
  std::uint64_t event_count() const { return event_count_; }  // since reset()
  // Header timestamp of the last event with a non-zero one, across batches; 0 before any.
  std::uint32_t last_timestamp() const { return last_timestamp_; }

 private:
  std::vector<std::uint8_t> frames_;
  std::uint8_t sequence_ = 0;
  std::uint64_t event_bytes_ = 0;
  std::uint64_t event_count_ = 0;
  std::uint32_t last_timestamp_ = 0;
};

}  // namespace binrelay::relay
