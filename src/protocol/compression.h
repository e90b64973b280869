#pragma once
// The zlib-compressed protocol (CLIENT_COMPRESS), a layer below packet framing
// (docs/protocol.md, "Compression"): after the handshake, the framed bytes of each direction
// travel inside compressed packets
//   compressed_length u24 | compressed_sequence u8 | uncompressed_length u24 | body
// where uncompressed_length 0 means the body is stored as is. The compressed sequence id
// restarts at 0 with each command, like the packet sequence id. Sans-I/O.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "protocol/constants.h"
#include "protocol/packet_framing.h"

namespace binrelay::protocol {

inline constexpr std::size_t compressed_header_size = 7;

// Appends `framed` (already framed packets) as compressed packets. Chunks shorter than
// `min_compress_size` are stored uncompressed, as are chunks zlib cannot shrink.
void append_compressed(std::vector<std::uint8_t>& out, bytes_view framed, std::uint8_t& sequence,
                       std::size_t min_compress_size = 50);

// Incremental reader of compressed packets; yields each packet's uncompressed content.
class compressed_reader {
 public:
  explicit compressed_reader(std::size_t max_chunk_size = max_frame_payload)
      : max_chunk_size_(max_chunk_size) {}

  void feed(bytes_view data);
  // The content of the next compressed packet, or nullopt when more bytes are needed.
  result<std::optional<std::vector<std::uint8_t>>> next(
      std::uint8_t& sequence, sequence_check check = sequence_check::strict);
  // Bytes received but not yet returned.
  std::size_t buffered() const { return buffer_.size() - consumed_; }

 private:
  std::size_t max_chunk_size_;
  std::vector<std::uint8_t> buffer_;
  std::size_t consumed_ = 0;
};

}  // namespace binrelay::protocol
