// stream_batch: the frames of a batch are exactly the stream packets of its events, numbered
// on from the first sequence id, and it remembers the newest real event timestamp.

#include <catch2/catch.hpp>

#include "protocol/binlog_stream.h"
#include "protocol/packet_framing.h"
#include "relay/stream_batch.h"

using namespace binrelay;

namespace {

std::vector<std::uint8_t> event_with(std::uint32_t timestamp, std::size_t size) {
  std::vector<std::uint8_t> e(size, 0xAB);
  store_u32(e.data(), timestamp);
  return e;
}

}  // namespace

TEST_CASE("stream_batch: frames events as stream packets in one buffer") {
  relay::stream_batch batch;
  batch.reset(7);
  auto a = event_with(1'700'000'000, 40);
  auto b = event_with(0, 60);  // artificial: timestamp 0
  batch.on_event(a);
  batch.on_event(b);
  std::vector<std::uint8_t> expected;
  std::uint8_t seq = 7;
  protocol::append_frames(expected, protocol::build_stream_event(a), seq);
  protocol::append_frames(expected, protocol::build_stream_event(b), seq);
  CHECK(std::vector<std::uint8_t>(batch.frames().begin(), batch.frames().end()) == expected);
  CHECK(batch.next_sequence() == 9);
  CHECK(batch.event_bytes() == 100);
  CHECK(batch.last_timestamp() == 1'700'000'000);
  batch.reset(9);
  CHECK(batch.frames().empty());
  CHECK(batch.event_bytes() == 0);
  CHECK(batch.last_timestamp() == 1'700'000'000);
}
