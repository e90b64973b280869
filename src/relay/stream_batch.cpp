#include "relay/stream_batch.h"

#include "protocol/binlog_stream.h"

namespace binrelay::relay {

void stream_batch::reset(std::uint8_t first_sequence) {
  frames_.clear();
  sequence_ = first_sequence;
  event_bytes_ = 0;
  event_count_ = 0;
}

void stream_batch::on_event(bytes_view event) {
  event_bytes_ += event.size();
  ++event_count_;
  if (event.size() >= 4) {
    std::uint32_t timestamp = load_u32(event.data());
    if (timestamp != 0) last_timestamp_ = timestamp;
  }
  protocol::append_stream_event_frames(frames_, event, sequence_);
}

}  // namespace binrelay::relay
