#pragma once
// The byte pipe under both ends of a MySQL protocol connection: it owns the TCP socket and,
// once switched, the TLS stream over it; it frames payloads with sequence ids
// (packet_framing.h), optionally inside zlib-compressed packets (compression.h); it bounds
// every read and write with a timeout; and it closes itself on any failure. `connection`
// (client) and `server_connection` (server) drive it and own the protocol above it.
//
// Every operation returns result<T>; errors name the peer. After an error the socket is
// closed, except errc::too_large on the server side (the caller answers ERR 1153 first).
//
// The two sides differ only where the wire or measurements made them differ:
//   client: reads 1 MiB slices straight into the packet buffer, may wait for a known answer
//           size with SO_RCVLOWAT (expect_bytes()), writes through async_write's default
//           64 KiB per system call; only EOF, a truncated TLS stream or a reset mean errc::closed;
//   server: reads 64 KiB slices; offers the socket a whole write at once (a binlog batch of
//           1 MiB took 16 sendmsg calls and woke the replica for each); a broken pipe or a
//           cancelled operation also mean errc::closed, on reads and writes.
//
// Threading: one coroutine at a time; all operations run on the socket's executor.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "common/bytes.h"
#include "common/result.h"
#include "protocol/compression.h"
#include "protocol/packet_framing.h"

namespace boost::asio::ssl {
class context;
}

namespace binrelay::protocol {

enum class transport_side { client, server };

class packet_transport {
 public:
  // An unconnected client transport; connect() opens it.
  explicit packet_transport(boost::asio::any_io_executor executor);
  // A server transport over an accepted socket.
  explicit packet_transport(boost::asio::ip::tcp::socket socket);
  ~packet_transport();
  packet_transport(const packet_transport&) = delete;
  packet_transport& operator=(const packet_transport&) = delete;

  // How errors name the peer: "127.0.0.1:3306" (client side: a server, messages say
  // "server 127.0.0.1:3306 closed ..."), "client 10.0.0.7:5123 (connection 9)" (server side).
  void set_peer_name(std::string name) { peer_name_ = std::move(name); }
  const std::string& peer_name() const { return peer_name_; }
  // Bounds every later read; writes too unless set_write_timeout() says otherwise.
  void set_read_timeout(std::chrono::milliseconds timeout) { read_timeout_ = timeout; }
  void set_write_timeout(std::chrono::milliseconds timeout) { write_timeout_ = timeout; }
  std::chrono::milliseconds read_timeout() const { return read_timeout_; }
  // Drops buffered bytes and sets the largest payload accepted (errc::too_large beyond).
  void reset_reader(std::size_t max_payload_size);
  // Changes the largest payload accepted, keeping what is buffered.
  void set_max_payload_size(std::size_t n) { reader_.set_max_payload_size(n); }

  // Client side: resolves and connects within `timeout`, sets TCP_NODELAY.
  boost::asio::awaitable<result<void>> connect(const std::string& host, std::uint16_t port,
                                               std::chrono::milliseconds timeout);
  // Runs the TLS handshake (as this side) within the read timeout; later I/O goes through TLS.
  // `verify_host` non-empty: the certificate must name it. REQUIRES: nothing buffered.
  // `context` must outlive the transport.
  boost::asio::awaitable<result<void>> start_tls(boost::asio::ssl::context& context,
                                                 std::string_view verify_host = {});
  bool tls_active() const { return tls_ != nullptr; }
  // The negotiated protocol ("TLSv1.3") and cipher; empty without TLS.
  std::string tls_version() const;
  std::string tls_cipher() const;
  // From now on both directions travel in compressed packets (after the handshake).
  void enable_compression();
  bool compressed() const { return compressed_; }

  // Sequence ids: start_command() restarts both (packet and compressed) at 0.
  void start_command() { sequence_ = compressed_sequence_ = 0; }
  void set_sequence(std::uint8_t next) { sequence_ = next; }
  std::uint8_t sequence() const { return sequence_; }

  // Frames (and compresses) `payload` continuing the sequence, and writes it.
  boost::asio::awaitable<result<void>> write_packet(bytes_view payload);
  // As write_packet() for several payloads, in one write.
  boost::asio::awaitable<result<void>> write_packets(
      std::span<const std::vector<std::uint8_t>> payloads);
  // Writes bytes already framed for the wire, as they are.
  boost::asio::awaitable<result<void>> write_raw(bytes_view bytes);

  // The next whole payload as a view into the transport's buffer, valid until the next read.
  boost::asio::awaitable<result<bytes_view>> read_packet_view(sequence_check check);
  boost::asio::awaitable<result<std::vector<std::uint8_t>>> read_packet(sequence_check check);
  // The next payload if it is buffered already (nullopt: a read would wait). Same lifetime.
  result<std::optional<bytes_view>> buffered_packet_view(sequence_check check);
  // The next payload, without receiving a byte past it when it is at most 64 KiB: bytes
  // behind an SSLRequest belong to the TLS handshake. REQUIRES: nothing buffered.
  boost::asio::awaitable<result<std::vector<std::uint8_t>>> read_packet_unbuffered();
  // Bytes received and not yet returned as payloads.
  std::size_t buffered_bytes() const { return reader_.buffered() + compressed_reader_.buffered(); }
  // Client side: at least `bytes` more are on their way (0: unknown); reads may then wait for
  // them in one wake-up (SO_RCVLOWAT).
  void expect_bytes(std::size_t bytes) { expected_bytes_ = bytes; }

  boost::asio::ip::tcp::socket& socket() { return socket_; }
  bool is_open() const { return socket_.is_open(); }
  void close();
  // Closes and returns `e`.
  binrelay::error fail(binrelay::error e);

 private:
  struct tls_stream;

  // Receives at most into.size() bytes into `into`, within the read timeout.
  boost::asio::awaitable<result<std::size_t>> read_some(std::span<std::uint8_t> into);
  void set_low_watermark(std::size_t bytes);
  result<std::optional<bytes_view>> next_buffered(sequence_check check);
  // "server 127.0.0.1:3306" / the server side's peer name, as a sentence's subject.
  std::string subject() const;
  // The read timeout passed.
  binrelay::error silence_error() const;

  transport_side side_;
  boost::asio::ip::tcp::socket socket_;
  std::unique_ptr<tls_stream> tls_;
  std::string peer_name_;
  std::chrono::milliseconds read_timeout_{30'000};
  std::optional<std::chrono::milliseconds> write_timeout_;
  packet_reader reader_;
  compressed_reader compressed_reader_;
  bool compressed_ = false;
  std::uint8_t sequence_ = 0;
  std::uint8_t compressed_sequence_ = 0;
  std::vector<std::uint8_t> compressed_buffer_;
  // A lower bound of the bytes the answer being read still holds (0: unknown), and the
  // socket's SO_RCVLOWAT (read_some()).
  std::size_t expected_bytes_ = 0;
  std::size_t socket_low_watermark_ = 1;
};

}  // namespace binrelay::protocol
