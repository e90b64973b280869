// libFuzzer target for the sans-I/O protocol codecs: the packet reader (framing and
// compression) and every parser a server or client applies to peer-supplied payloads. The
// first input byte picks the parser; the rest is its input. Parsers must fail cleanly, never
// read out of bounds, and round-trip what they accept where the format allows.

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "protocol/auth.h"
#include "protocol/binlog_stream.h"
#include "protocol/compression.h"
#include "protocol/handshake.h"
#include "protocol/handshake_response.h"
#include "protocol/packet_framing.h"
#include "protocol/replication_commands.h"
#include "protocol/response_packets.h"
#include "protocol/text_result_set.h"

using namespace binrelay;
using namespace binrelay::protocol;

namespace {

void drain_packets(bytes_view data) {
  packet_reader reader(1 << 20);
  std::size_t half = data.size() / 2;
  reader.feed(data.first(half));
  std::uint8_t seq = data.empty() ? 0 : data[0];
  for (int round = 0; round < 2; ++round) {
    while (true) {
      auto p = reader.next(seq, sequence_check::adopt);
      if (!p || !p->has_value()) break;
    }
    reader.feed(data.subspan(half));
  }
}

void drain_compressed(bytes_view data) {
  compressed_reader reader(1 << 20);
  reader.feed(data);
  std::uint8_t seq = 0;
  while (true) {
    auto p = reader.next(seq, sequence_check::adopt);
    if (!p || !p->has_value()) break;
  }
}

void query_answer(bytes_view data, bool deprecate_eof) {
  // Split the input into payloads at every 0x0A byte.
  query_response_reader reader(deprecate_eof);
  std::size_t start = 0;
  for (std::size_t i = 0; i <= data.size(); ++i) {
    if (i == data.size() || data[i] == 0x0A) {
      auto done = reader.on_packet(data.subspan(start, i - start));
      if (!done || *done) return;
      start = i + 1;
    }
  }
}

template <class T, class Parse, class Build>
void round_trip(bytes_view data, Parse parse, Build build) {
  result<T> parsed = parse(data);
  if (!parsed) return;
  auto rebuilt = build(*parsed);
  result<T> again = parse(rebuilt);
  if (!again || !(*again == *parsed)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  if (size == 0) return 0;
  bytes_view data(bytes + 1, size - 1);
  switch (bytes[0] % 14) {
    case 0:
      drain_packets(data);
      break;
    case 1:
      drain_compressed(data);
      break;
    case 2:
      round_trip<handshake_v10>(data, parse_handshake_v10, build_handshake_v10);
      break;
    case 3:
      round_trip<handshake_response>(data, parse_handshake_response, build_handshake_response);
      break;
    case 4:
      round_trip<ok_packet>(data, parse_ok_packet, [](auto& v) { return build_ok_packet(v); });
      break;
    case 5:
      round_trip<err_packet>(data, parse_err_packet, build_err_packet);
      break;
    case 6:
      (void)parse_eof_packet(data);
      (void)parse_ssl_request(data);
      break;
    case 7:
      query_answer(data, bytes[0] & 0x80);
      break;
    case 8:
      round_trip<column_definition>(data, parse_column_definition, build_column_definition);
      break;
    case 9:
      round_trip<register_slave>(data, parse_register_slave, build_register_slave);
      break;
    case 10:
      round_trip<binlog_dump>(data, parse_binlog_dump, build_binlog_dump);
      break;
    case 11:
      round_trip<binlog_dump_gtid>(data, parse_binlog_dump_gtid, build_binlog_dump_gtid);
      break;
    case 12:
      (void)parse_stream_packet(data, bytes[0] & 0x80, "fuzz");
      (void)parse_semi_sync_ack(data);
      break;
    case 13:
      (void)parse_auth_switch_request(data);
      (void)parse_auth_more_data(data);
      (void)parse_text_row(data, bytes[0] >> 4);
      break;
  }
  return 0;
}
