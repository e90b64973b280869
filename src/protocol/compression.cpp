#include "protocol/compression.h"

#include <zlib.h>

#include <algorithm>

namespace binrelay::protocol {
namespace {

void append_header(std::vector<std::uint8_t>& out, std::size_t body, std::uint8_t sequence,
                   std::size_t uncompressed) {
  byte_writer w(out);
  w.u24(std::uint32_t(body));
  w.u8(sequence);
  w.u24(std::uint32_t(uncompressed));
}

}  // namespace

void append_compressed(std::vector<std::uint8_t>& out, bytes_view framed, std::uint8_t& sequence,
                       std::size_t min_compress_size) {
  std::size_t offset = 0;
  do {
    bytes_view chunk = framed.subspan(offset, std::min(framed.size() - offset, max_frame_payload));
    offset += chunk.size();
    if (chunk.size() >= min_compress_size) {
      uLongf bound = compressBound(uLong(chunk.size()));
      std::vector<std::uint8_t> body(bound);
      if (compress(body.data(), &bound, chunk.data(), uLong(chunk.size())) == Z_OK &&
          bound < chunk.size()) {
        append_header(out, bound, sequence++, chunk.size());
        out.insert(out.end(), body.begin(), body.begin() + std::ptrdiff_t(bound));
        continue;
      }
    }
    append_header(out, chunk.size(), sequence++, 0);
    out.insert(out.end(), chunk.begin(), chunk.end());
  } while (offset < framed.size());
}

void compressed_reader::feed(bytes_view data) {
  if (consumed_ == buffer_.size()) {
    buffer_.clear();
    consumed_ = 0;
  }
  buffer_.insert(buffer_.end(), data.begin(), data.end());
}

result<std::optional<std::vector<std::uint8_t>>> compressed_reader::next(std::uint8_t& sequence,
                                                                         sequence_check check) {
  using out_t = std::optional<std::vector<std::uint8_t>>;
  if (buffer_.size() - consumed_ < compressed_header_size) return out_t();
  byte_reader r(bytes_view(buffer_).subspan(consumed_));
  std::size_t body_size = r.u24();
  std::uint8_t id = r.u8();
  std::size_t uncompressed = r.u24();
  if (check == sequence_check::adopt) sequence = id;
  if (id != sequence) {
    return make_error(errc::protocol_error,
                      "compressed packet out of order: sequence id {} where {} was expected", id,
                      sequence);
  }
  if (uncompressed > max_chunk_size_ || body_size > max_chunk_size_) {
    return make_error(errc::too_large, "compressed packet announces {} bytes (limit {})",
                      std::max(uncompressed, body_size), max_chunk_size_);
  }
  bytes_view body = r.bytes(body_size);
  if (!r.ok()) return out_t();
  std::vector<std::uint8_t> content;
  if (uncompressed == 0) {
    content.assign(body.begin(), body.end());
  } else {
    content.resize(uncompressed);
    uLongf n = uLongf(uncompressed);
    if (uncompress(content.data(), &n, body.data(), uLong(body.size())) != Z_OK ||
        n != uncompressed) {
      return make_error(errc::corrupt, "compressed packet {} does not inflate to {} bytes", id,
                        uncompressed);
    }
  }
  consumed_ += compressed_header_size + body_size;
  ++sequence;
  return out_t(std::move(content));
}

}  // namespace binrelay::protocol
