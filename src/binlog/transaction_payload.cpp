#include "binlog/transaction_payload.h"

#include <zstd.h>

#include <memory>

namespace binrelay::binlog {
namespace {

enum field_type : std::uint64_t {
  end_mark = 0,
  payload_size_field = 1,
  compression_type_field = 2,
  uncompressed_size_field = 3,
};

std::size_t lenenc_size(std::uint64_t v) {
  if (v < 251) return 1;
  if (v < (1u << 16)) return 3;
  if (v < (1u << 24)) return 4;
  return 9;
}

// Reads the field value: a lenenc integer that must fill exactly `length` bytes.
result<std::uint64_t> field_value(byte_reader& in, std::uint64_t type, std::uint64_t length) {
  byte_reader value(in.bytes(length));
  if (!in.ok()) {
    return make_error(errc::truncated,
                      "Transaction_payload: field {} claims {} bytes, more than the event holds",
                      type, length);
  }
  const std::uint64_t v = value.lenenc();
  if (!value.ok() || !value.empty()) {
    return make_error(errc::corrupt,
                      "Transaction_payload: field {} value does not fill its {} bytes", type,
                      length);
  }
  return v;
}

struct zstd_dctx_deleter {
  void operator()(ZSTD_DCtx* c) const { ZSTD_freeDCtx(c); }
};

}  // namespace

result<transaction_payload_event> decode_transaction_payload_event(const event_header&,
                                                                   bytes_view body,
                                                                   const format_description&) {
  transaction_payload_event ev;
  byte_reader in(body);
  std::optional<std::uint64_t> payload_size;
  bool have_compression = false;
  for (;;) {
    const std::uint64_t type = in.lenenc();
    if (!in.ok())
      return make_error(errc::truncated, "Transaction_payload: header ends before its end mark");
    if (type == end_mark) break;
    const std::uint64_t length = in.lenenc();
    auto value = field_value(in, type, length);
    if (!value) return value.error();
    switch (type) {
      case payload_size_field:
        payload_size = *value;
        break;
      case uncompressed_size_field:
        ev.uncompressed_size = *value;
        ev.has_uncompressed_size = true;
        break;
      case compression_type_field:
        if (*value != std::uint64_t(payload_compression::zstd) &&
            *value != std::uint64_t(payload_compression::none)) {
          return make_error(
              errc::unsupported,
              "Transaction_payload: compression type {} is not zstd (0) or none (255)", *value);
        }
        ev.compression = static_cast<payload_compression>(*value);
        have_compression = true;
        break;
      default:
        break;  // a field of a later server: skipped by its length
    }
  }
  if (!have_compression)
    return make_error(errc::corrupt, "Transaction_payload: no COMPRESSION_TYPE field");
  const std::size_t rest = in.remaining();
  const std::uint64_t size = payload_size.value_or(rest);
  if (size > rest) {
    return make_error(errc::truncated,
                      "Transaction_payload: PAYLOAD_SIZE {} but only {} bytes follow the header",
                      size, rest);
  }
  if (size < rest) {
    return make_error(errc::corrupt, "Transaction_payload: {} bytes after the {}-byte payload",
                      rest - size, size);
  }
  ev.payload = in.bytes(size);
  return ev;
}

void encode_transaction_payload_body(const transaction_payload_event& ev, byte_writer& out) {
  auto field = [&](std::uint64_t type, std::uint64_t value) {
    out.lenenc(type);
    out.lenenc(lenenc_size(value));
    out.lenenc(value);
  };
  field(compression_type_field, std::uint64_t(ev.compression));
  if (ev.has_uncompressed_size) field(uncompressed_size_field, ev.uncompressed_size);
  field(payload_size_field, ev.payload.size());
  out.lenenc(end_mark);
  out.bytes(ev.payload);
}

result<std::vector<std::uint8_t>> decompress_transaction_payload(
    const transaction_payload_event& ev, std::size_t max_size) {
  if (ev.compression == payload_compression::none) {
    return std::vector<std::uint8_t>(ev.payload.begin(), ev.payload.end());
  }
  if (!ev.has_uncompressed_size) {
    return make_error(errc::corrupt, "Transaction_payload: zstd payload without UNCOMPRESSED_SIZE");
  }
  if (ev.uncompressed_size > max_size) {
    return make_error(errc::too_large,
                      "Transaction_payload: uncompressed size {} exceeds the {}-byte limit",
                      ev.uncompressed_size, max_size);
  }
  std::unique_ptr<ZSTD_DCtx, zstd_dctx_deleter> ctx(ZSTD_createDCtx());
  if (!ctx)
    return make_error(errc::io_error, "Transaction_payload: cannot allocate a zstd context");
  std::vector<std::uint8_t> out(ev.uncompressed_size);
  ZSTD_inBuffer in{ev.payload.data(), ev.payload.size(), 0};
  ZSTD_outBuffer dst{out.data(), out.size(), 0};
  while (in.pos < in.size) {
    const std::size_t before_in = in.pos, before_out = dst.pos;
    const std::size_t rc = ZSTD_decompressStream(ctx.get(), &dst, &in);
    if (ZSTD_isError(rc)) {
      return make_error(errc::corrupt, "Transaction_payload: zstd: {}", ZSTD_getErrorName(rc));
    }
    if (in.pos == before_in && dst.pos == before_out) {
      return make_error(errc::corrupt,
                        "Transaction_payload: decompresses to more than UNCOMPRESSED_SIZE {}",
                        ev.uncompressed_size);
    }
  }
  // Anything still buffered inside zstd means the output would exceed the declared size.
  std::uint8_t probe = 0;
  ZSTD_outBuffer extra{&probe, 1, 0};
  const std::size_t rc = ZSTD_decompressStream(ctx.get(), &extra, &in);
  if (!ZSTD_isError(rc) && extra.pos > 0) {
    return make_error(errc::corrupt,
                      "Transaction_payload: decompresses to more than UNCOMPRESSED_SIZE {}",
                      ev.uncompressed_size);
  }
  if (dst.pos != out.size()) {
    return make_error(errc::corrupt,
                      "Transaction_payload: decompresses to {} bytes, UNCOMPRESSED_SIZE says {}",
                      dst.pos, ev.uncompressed_size);
  }
  return out;
}

format_description inner_format(const format_description& outer) {
  format_description f = outer;
  f.checksum = checksum_alg::off;
  return f;
}

result<std::optional<raw_event>> payload_event_iterator::next() {
  if (pos_ == events_.size()) return std::optional<raw_event>{};
  auto h = decode_event_header(events_.subspan(pos_));
  if (!h) {
    return make_error(h.error().code, "Transaction_payload: inner event at offset {}: {}", pos_,
                      h.error().message);
  }
  if (h->event_size > events_.size() - pos_) {
    return make_error(
        errc::truncated,
        "Transaction_payload: inner event at offset {} ({} bytes) runs past the payload's end ({})",
        pos_, h->event_size, events_.size());
  }
  raw_event ev{*h, pos_, events_.subspan(pos_, h->event_size)};
  pos_ += h->event_size;
  return std::optional<raw_event>{ev};
}

}  // namespace binrelay::binlog
