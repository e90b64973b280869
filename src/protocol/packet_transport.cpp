#include "protocol/packet_transport.h"

#include <openssl/ssl.h>

#include <limits>

#include <boost/asio/connect.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>

#include "protocol/constants.h"
#include "protocol/with_timeout.h"

namespace binrelay::protocol {

namespace asio = boost::asio;
using asio::awaitable;
using asio::ip::tcp;
using boost::system::error_code;

// GCC 12 destroys temporaries inside a co_await expression twice in some positions, so the
// payloads below are always named locals, and no co_await sits inside ?:.
namespace {

// Bytes asked of the socket per read. Large on the client side, so that a binlog backlog
// arrives in big slices: the upstream session appends what one read delivered as one batch
// (one fdatasync). Small on the server side, which reads short commands from many clients.
constexpr std::size_t client_read_chunk_size = std::size_t(1) << 20;
constexpr std::size_t server_read_chunk_size = 64 * 1024;
// SO_RCVLOWAT beyond this is not useful (socket buffers), and how long to trust it: an answer
// an error cut short never reaches it, and waiting long for a slow batch was measured to cost
// more than the wake-ups it saves (74k replayed transactions: 5.75 s with 20 ms, 5.0 s with
// 5 ms, 4.8-5.2 s with 1 ms at 3x the fallbacks).
constexpr std::size_t max_low_watermark = 64 * 1024;
constexpr std::chrono::milliseconds low_watermark_wait{5};
// async_write's default completion condition (transfer_all): at most 64 KiB per system call.
std::size_t transfer_in_slices(const error_code& ec, std::size_t) {
  return ec ? 0 : 64 * 1024;
}

// The server side's: offers the socket everything that is left; it takes what fits in its
// send buffer (docs/serving.md: a 1 MiB binlog batch cost 16+ sendmsg calls in 64 KiB steps).
std::size_t transfer_everything(const error_code& ec, std::size_t) {
  return ec ? 0 : std::numeric_limits<std::size_t>::max();
}

bool is_disconnect(const error_code& ec, transport_side side) {
  if (ec == asio::error::eof || ec == asio::ssl::error::stream_truncated ||
      ec == asio::error::connection_reset) {
    return true;
  }
  return side == transport_side::server &&
         (ec == asio::error::broken_pipe || ec == asio::error::operation_aborted);
}

}  // namespace

struct packet_transport::tls_stream {
  tls_stream(tcp::socket& socket, asio::ssl::context& context) : stream(socket, context) {}
  asio::ssl::stream<tcp::socket&> stream;
};

packet_transport::packet_transport(asio::any_io_executor executor)
    : side_(transport_side::client), socket_(std::move(executor)) {}

packet_transport::packet_transport(tcp::socket socket)
    : side_(transport_side::server), socket_(std::move(socket)) {}

packet_transport::~packet_transport() = default;

void packet_transport::reset_reader(std::size_t max_payload_size) {
  reader_ = packet_reader(max_payload_size);
  compressed_ = false;
}

void packet_transport::enable_compression() {
  compressed_ = true;
  compressed_reader_ = compressed_reader(max_frame_payload);
}

void packet_transport::close() {
  error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

binrelay::error packet_transport::fail(binrelay::error e) {
  close();
  return e;
}

std::string packet_transport::subject() const {
  if (side_ == transport_side::client) return "server " + peer_name_;
  return peer_name_;
}

awaitable<result<void>> packet_transport::connect(const std::string& host, std::uint16_t port,
                                                  std::chrono::milliseconds timeout) {
  tcp::resolver resolver(co_await asio::this_coro::executor);
  std::string service = std::to_string(port);
  auto resolved = co_await with_timeout(resolver.async_resolve(host, service, use_tuple), timeout);
  if (!resolved) {
    co_return make_error(errc::timed_out, "resolving {} took longer than {} ms", peer_name_,
                         timeout.count());
  }
  auto& [resolve_ec, endpoints] = *resolved;
  if (resolve_ec) {
    co_return make_error(errc::io_error, "cannot resolve {}: {}", peer_name_, resolve_ec.message());
  }
  auto connected =
      co_await with_timeout(asio::async_connect(socket_, endpoints, use_tuple), timeout);
  if (!connected) {
    co_return make_error(errc::timed_out, "connecting to {} took longer than {} ms", peer_name_,
                         timeout.count());
  }
  if (auto ec = std::get<0>(*connected)) {
    co_return make_error(errc::io_error, "cannot connect to {}: {}", peer_name_, ec.message());
  }
  socket_.set_option(tcp::no_delay(true));
  co_return result<void>();
}

awaitable<result<void>> packet_transport::start_tls(asio::ssl::context& context,
                                                    std::string_view verify_host) {
  if (buffered_bytes() != 0) {
    co_return fail(
        make_error(errc::protocol_error, "{} sent data before the TLS handshake", subject()));
  }
  auto tls = std::make_unique<tls_stream>(socket_, context);
  if (!verify_host.empty()) {
    tls->stream.set_verify_callback(asio::ssl::host_name_verification(std::string(verify_host)));
  }
  auto type = side_ == transport_side::client ? asio::ssl::stream_base::client
                                              : asio::ssl::stream_base::server;
  auto done = co_await with_timeout(tls->stream.async_handshake(type, use_tuple), read_timeout_);
  if (!done) {
    co_return fail(make_error(errc::timed_out, "TLS handshake with {} took longer than {} ms",
                              peer_name_, read_timeout_.count()));
  }
  if (auto ec = std::get<0>(*done)) {
    co_return fail(
        make_error(errc::io_error, "TLS handshake with {} failed: {}", peer_name_, ec.message()));
  }
  tls_ = std::move(tls);
  co_return result<void>();
}

std::string packet_transport::tls_version() const {
  return tls_ ? SSL_get_version(tls_->stream.native_handle()) : "";
}

std::string packet_transport::tls_cipher() const {
  return tls_ ? SSL_get_cipher_name(tls_->stream.native_handle()) : "";
}

awaitable<result<void>> packet_transport::write_packet(bytes_view payload) {
  std::vector<std::uint8_t> framed;
  append_frames(framed, payload, sequence_);
  if (!compressed_) co_return co_await write_raw(framed);
  std::vector<std::uint8_t> wire;
  append_compressed(wire, framed, compressed_sequence_);
  co_return co_await write_raw(wire);
}

awaitable<result<void>> packet_transport::write_packets(
    std::span<const std::vector<std::uint8_t>> payloads) {
  if (payloads.empty()) co_return result<void>();
  std::vector<std::uint8_t> framed;
  for (const auto& p : payloads) append_frames(framed, p, sequence_);
  if (!compressed_) co_return co_await write_raw(framed);
  std::vector<std::uint8_t> wire;
  append_compressed(wire, framed, compressed_sequence_);
  co_return co_await write_raw(wire);
}

awaitable<result<void>> packet_transport::write_raw(bytes_view bytes) {
  auto buffer = asio::buffer(bytes.data(), bytes.size());
  auto timeout = write_timeout_.value_or(read_timeout_);
  std::optional<std::tuple<error_code, std::size_t>> written;
  if (tls_) {
    written = co_await with_timeout(asio::async_write(tls_->stream, buffer, use_tuple), timeout);
  } else {
    auto* condition = side_ == transport_side::server ? &transfer_everything : &transfer_in_slices;
    written =
        co_await with_timeout(asio::async_write(socket_, buffer, condition, use_tuple), timeout);
  }
  if (!written) {
    co_return fail(make_error(errc::timed_out, "writing to {} took longer than {} ms", peer_name_,
                              timeout.count()));
  }
  if (auto ec = std::get<0>(*written)) {
    bool closed = side_ == transport_side::server && is_disconnect(ec, side_);
    co_return fail(make_error(closed ? errc::closed : errc::io_error, "cannot write to {}: {}",
                              peer_name_, ec.message()));
  }
  co_return result<void>();
}

result<std::optional<bytes_view>> packet_transport::next_buffered(sequence_check check) {
  while (compressed_) {
    auto chunk = compressed_reader_.next(compressed_sequence_, sequence_check::adopt);
    if (!chunk) return chunk.error();
    if (!chunk->has_value()) break;
    reader_.feed(**chunk);
  }
  return reader_.next_view(sequence_, check);
}

result<std::optional<bytes_view>> packet_transport::buffered_packet_view(sequence_check check) {
  auto packet = next_buffered(check);
  if (!packet) {
    binrelay::error e = std::move(packet).error();
    e.message = fmt::format("{}: {}", subject(), e.message);
    // The server side answers an oversized command with ERR 1153 before closing.
    if (side_ == transport_side::server && e.code == errc::too_large) return e;
    return fail(std::move(e));
  }
  return packet;
}

// Receives straight into the packet buffer (or the compressed one), one slice per read.
awaitable<result<bytes_view>> packet_transport::read_packet_view(sequence_check check) {
  while (true) {
    auto packet = buffered_packet_view(check);
    if (!packet) co_return packet.error();
    if (packet->has_value()) co_return **packet;
    if (compressed_) {
      compressed_buffer_.resize(client_read_chunk_size);
      auto n = co_await read_some(compressed_buffer_);
      if (!n) co_return n.error();
      compressed_reader_.feed(bytes_view(compressed_buffer_.data(), *n));
    } else {
      // A server before login (small packet limit) reads no more than one whole packet.
      std::size_t chunk =
          side_ == transport_side::client
              ? client_read_chunk_size
              : std::min(server_read_chunk_size, reader_.max_payload_size() + frame_header_size);
      auto n = co_await read_some(reader_.prepare(chunk));
      if (!n) co_return n.error();
      reader_.commit(*n);
    }
  }
}

awaitable<result<std::vector<std::uint8_t>>> packet_transport::read_packet(sequence_check check) {
  auto view = co_await read_packet_view(check);
  if (!view) co_return view.error();
  co_return std::vector<std::uint8_t>(view->begin(), view->end());
}

awaitable<result<std::vector<std::uint8_t>>> packet_transport::read_packet_unbuffered() {
  // Larger: not an SSLRequest, read on normally (and refused from its header when over the
  // reader's limit, before its bytes are received).
  const std::size_t exact_limit = std::min<std::size_t>(64 * 1024, reader_.max_payload_size());
  std::uint8_t header[frame_header_size];
  std::size_t want = frame_header_size;
  std::size_t have = 0;
  while (have < want) {
    auto room = reader_.prepare(want - have).first(want - have);
    auto n = co_await read_some(room);
    if (!n) co_return n.error();
    for (std::size_t i = 0; i < *n && have + i < frame_header_size; ++i) header[have + i] = room[i];
    reader_.commit(*n);
    have += *n;
    if (want == frame_header_size && have == frame_header_size) {
      std::size_t length = load_le<3>(header);
      if (length <= exact_limit) want += length;
    }
  }
  co_return co_await read_packet(sequence_check::strict);
}

// SO_RCVLOWAT: the kernel wakes a waiting read only once `bytes` are buffered (1: any).
void packet_transport::set_low_watermark(std::size_t bytes) {
  if (bytes == socket_low_watermark_) return;
  error_code ignored;
  socket_.set_option(asio::socket_base::receive_low_watermark(int(bytes)), ignored);
  socket_low_watermark_ = ignored ? 1 : bytes;
}

awaitable<result<std::size_t>> packet_transport::read_some(std::span<std::uint8_t> into) {
  auto buffer = asio::buffer(into.data(), into.size());
  std::optional<std::tuple<error_code, std::size_t>> got;
  if (tls_) {
    got = co_await with_timeout(tls_->stream.async_read_some(buffer, use_tuple), read_timeout_);
  } else {
    // An answer known to be long wakes us once, not per packet; if it is shorter than
    // expected (an error ended it), the watermark is dropped after a short wait.
    bool plain = !compressed_ && expected_bytes_ > 1;
    set_low_watermark(plain ? std::min(expected_bytes_, max_low_watermark) : 1);
    if (socket_low_watermark_ > 1) {
      got = co_await with_timeout(socket_.async_read_some(buffer, use_tuple), low_watermark_wait);
      if (!got) set_low_watermark(1);
    }
    if (!got) {
      got = co_await with_timeout(socket_.async_read_some(buffer, use_tuple), read_timeout_);
    }
  }
  if (got && !std::get<0>(*got)) {
    std::size_t n = std::get<1>(*got);
    expected_bytes_ = expected_bytes_ > n ? expected_bytes_ - n : 0;
  }
  if (!got) co_return fail(silence_error());
  auto [ec, n] = *got;
  if (is_disconnect(ec, side_)) {
    co_return fail(make_error(errc::closed, "{} closed the connection", subject()));
  }
  if (ec) {
    co_return fail(make_error(errc::io_error, "cannot read from {}: {}", peer_name_, ec.message()));
  }
  co_return n;
}

binrelay::error packet_transport::silence_error() const {
  if (side_ == transport_side::client) {
    return make_error(errc::timed_out, "no data from server {} for {} ms", peer_name_,
                      read_timeout_.count());
  }
  return make_error(errc::timed_out, "{} sent nothing for {} ms", peer_name_,
                    read_timeout_.count());
}

}  // namespace binrelay::protocol
