#include "protocol/server_connection.h"

#include <limits>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "protocol/constants.h"
#include "protocol/handshake_response.h"
#include "protocol/server_auth.h"
#include "protocol/server_auth_exchange.h"
#include "protocol/server_errors.h"
#include "protocol/server_handshake.h"

namespace binrelay::protocol {

namespace asio = boost::asio;
using asio::awaitable;
using asio::ip::tcp;
using boost::system::error_code;
using namespace asio::experimental::awaitable_operators;

// GCC 12 destroys temporaries inside a co_await expression twice in some positions, so the
// payloads below are always named locals.
namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t read_chunk_size = 64 * 1024;

// async_write's default completion condition hands the socket at most 64 KiB per system call,
// so a binlog dump batch (1 MiB) cost 16 sendmsg calls or more, and the replica was woken for
// each. This one offers the socket everything that is left: it takes what fits in its send
// buffer.
std::size_t transfer_everything(const error_code& ec, std::size_t) {
  return ec ? 0 : std::numeric_limits<std::size_t>::max();
}

// Runs `op` unless `timeout` passes first; nullopt on timeout (the op is cancelled).
template <class T>
awaitable<std::optional<T>> with_timeout(awaitable<T> op, std::chrono::milliseconds timeout) {
  asio::steady_timer timer(co_await asio::this_coro::executor, timeout);
  auto r = co_await (std::move(op) || timer.async_wait(use_tuple));
  if (r.index() == 1) co_return std::nullopt;
  co_return std::get<0>(std::move(r));
}

bool is_disconnect(const error_code& ec) {
  return ec == asio::error::eof || ec == asio::ssl::error::stream_truncated ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == asio::error::operation_aborted;
}

}  // namespace

bool client_session::deprecate_eof() const {
  return capabilities & cap::deprecate_eof;
}

struct server_connection::transport {
  explicit transport(tcp::socket s) : socket(std::move(s)) {}
  tcp::socket socket;
  std::unique_ptr<asio::ssl::stream<tcp::socket&>> tls;
};

server_connection::server_connection(tcp::socket socket, server_context& context)
    : transport_(std::make_unique<transport>(std::move(socket))),
      context_(context),
      reader_(context.options().max_packet_size) {
  error_code ec;
  auto remote = transport_->socket.remote_endpoint(ec);
  if (!ec) {
    session_.peer_host = remote.address().to_string();
    session_.peer_port = remote.port();
  }
  transport_->socket.set_option(tcp::no_delay(true), ec);
  session_.connection_id = context_.next_connection_id();
}

server_connection::~server_connection() = default;

ok_packet server_connection::default_ok() {
  ok_packet ok;
  ok.status_flags = status::autocommit;
  return ok;
}

bool server_connection::is_open() const {
  return transport_->socket.is_open();
}

void server_connection::close() {
  error_code ignored;
  transport_->socket.shutdown(tcp::socket::shutdown_both, ignored);
  transport_->socket.close(ignored);
}

binrelay::error server_connection::fail(binrelay::error e) {
  close();
  return e;
}

std::string server_connection::peer_name() const {
  return fmt::format("client {}:{} (connection {})", session_.peer_host, session_.peer_port,
                     session_.connection_id);
}

awaitable<result<void>> server_connection::handshake() {
  auto done = co_await with_timeout(handshake_steps(), context_.options().handshake_timeout);
  if (!done) {
    co_return fail(make_error(errc::timed_out, "{} did not finish the handshake in {} ms",
                              peer_name(), context_.options().handshake_timeout.count()));
  }
  co_return std::move(*done);
}

awaitable<result<void>> server_connection::handshake_steps() {
  auto scramble = generate_scramble();
  if (auto r = co_await send_greeting(scramble); !r) co_return r.error();
  auto payload = co_await read_response();
  if (!payload) co_return payload.error();
  auto response = parse_handshake_response(*payload);
  if (!response) {
    auto err = bad_handshake();
    (void)co_await send_err(err);
    co_return fail(
        make_error(errc::protocol_error, "{}: {}", peer_name(), response.error().message));
  }
  if (context_.options().require_tls && !session_.tls) {
    auto err = secure_transport_required();
    (void)co_await send_err(err);
    co_return fail(make_error(errc::auth_failed, "{} refused: TLS is required", peer_name()));
  }
  co_return co_await authenticate(*response, std::move(scramble));
}

awaitable<result<void>> server_connection::send_greeting(
    const std::vector<std::uint8_t>& scramble) {
  auto greeting = make_server_greeting(context_.identity(), session_.connection_id, scramble);
  sequence_ = 0;
  auto payload = build_handshake_v10(greeting);
  co_return co_await send_raw_packet(payload);
}

// The HandshakeResponse, after switching to TLS when the client first sends an SSLRequest.
awaitable<result<std::vector<std::uint8_t>>> server_connection::read_response() {
  auto timeout = context_.options().handshake_timeout;
  auto payload = co_await read_first_payload(timeout);
  if (!payload || payload->size() != ssl_request_size) co_return payload;
  auto request = parse_ssl_request(*payload);
  if (!request || !context_.tls()) {
    auto err = bad_handshake();
    (void)co_await send_err(err);
    co_return fail(
        make_error(errc::protocol_error, "{} sent an unexpected SSLRequest", peer_name()));
  }
  if (auto r = co_await start_tls(); !r) co_return r.error();
  co_return co_await read_payload(sequence_check::strict, timeout);
}

// The client's first packet, read without reading past it: a client may send its TLS
// ClientHello right behind an SSLRequest, and those bytes belong to the TLS handshake.
awaitable<result<std::vector<std::uint8_t>>> server_connection::read_first_payload(
    std::chrono::milliseconds timeout) {
  constexpr std::size_t header_size = 4;
  constexpr std::size_t exact_limit = 64 * 1024;  // larger: not an SSLRequest, read on normally
  std::vector<std::uint8_t> frame;
  std::size_t want = header_size;
  while (frame.size() < want) {
    auto n = co_await read_some(timeout, want - frame.size());
    if (!n) co_return n.error();
    frame.insert(frame.end(), read_buffer_.begin(), read_buffer_.begin() + *n);
    if (want == header_size && frame.size() == header_size) {
      std::size_t length = frame[0] | std::size_t(frame[1]) << 8 | std::size_t(frame[2]) << 16;
      if (length <= exact_limit) want += length;
    }
  }
  reader_.feed(frame);
  co_return co_await read_payload(sequence_check::strict, timeout);
}

awaitable<result<void>> server_connection::start_tls() {
  if (reader_.buffered() != 0) {
    co_return fail(
        make_error(errc::protocol_error, "{} sent data before the TLS handshake", peer_name()));
  }
  auto stream =
      std::make_unique<asio::ssl::stream<tcp::socket&>>(transport_->socket, *context_.tls());
  auto [ec] = co_await stream->async_handshake(asio::ssl::stream_base::server, use_tuple);
  if (ec) {
    co_return fail(
        make_error(errc::io_error, "TLS handshake with {} failed: {}", peer_name(), ec.message()));
  }
  transport_->tls = std::move(stream);
  session_.tls = true;
  SSL* native = transport_->tls->native_handle();
  session_.tls_version = SSL_get_version(native);
  session_.tls_cipher = SSL_get_cipher_name(native);
  co_return result<void>();
}

awaitable<result<void>> server_connection::authenticate(const handshake_response& response,
                                                        std::vector<std::uint8_t> scramble) {
  server_auth_context ctx;
  ctx.accounts = &context_.options().accounts;
  ctx.scramble = std::move(scramble);
  ctx.secure_transport = session_.tls;
  ctx.client_host = session_.peer_host;
  ctx.rsa_key = context_.rsa_key();
  ctx.cache = &context_.cache();
  server_auth auth(std::move(ctx));
  auto step = auth.start(response);
  for (int round = 0; step.next == server_auth_step::outcome::more && round < 8; ++round) {
    if (auto r = co_await send_packets(step.replies); !r) co_return r.error();
    auto packet =
        co_await read_payload(sequence_check::strict, context_.options().handshake_timeout);
    if (!packet) co_return packet.error();
    step = auth.on_packet(*packet);
  }
  if (auto r = co_await send_packets(step.replies); !r) co_return r.error();
  if (step.next != server_auth_step::outcome::accepted) {
    co_return fail(make_error(errc::auth_failed, "{} refused: access denied for user '{}'",
                              peer_name(), response.user));
  }
  session_.user = response.user;
  session_.database = response.database;
  session_.capabilities =
      negotiate_capabilities(server_capabilities(context_.tls() != nullptr), response.capabilities);
  session_.attributes = response.attributes;
  co_return result<void>();
}

awaitable<result<std::vector<std::uint8_t>>> server_connection::read_command() {
  sequence_ = 0;
  auto payload = co_await read_payload(sequence_check::strict, context_.options().idle_timeout);
  if (!payload) {
    if (payload.error().code == errc::too_large) {
      auto err = packet_too_large();
      (void)co_await send_err(err);
      close();
    }
    co_return payload;
  }
  if (!payload->empty() && (*payload)[0] == std::uint8_t(command::quit)) {
    co_return fail(make_error(errc::closed, "{} quit", peer_name()));
  }
  co_return payload;
}

awaitable<result<std::vector<std::uint8_t>>> server_connection::read_packet(sequence_check check) {
  co_return co_await read_payload(check, context_.options().idle_timeout);
}

awaitable<result<std::vector<std::uint8_t>>> server_connection::read_payload(
    sequence_check check, std::chrono::milliseconds timeout) {
  while (true) {
    auto packet = reader_.next(sequence_, check);
    if (!packet) {
      binrelay::error e = std::move(packet).error();
      e.message = fmt::format("{}: {}", peer_name(), e.message);
      if (e.code != errc::too_large) close();
      co_return e;
    }
    if (packet->has_value()) co_return std::move(**packet);
    auto n = co_await read_some(timeout, read_chunk_size);
    if (!n) co_return n.error();
    reader_.feed(bytes_view(read_buffer_.data(), *n));
  }
}

awaitable<result<std::size_t>> server_connection::read_some(std::chrono::milliseconds timeout,
                                                            std::size_t at_most) {
  read_buffer_.resize(at_most);
  auto buffer = asio::buffer(read_buffer_);
  auto got =
      transport_->tls
          ? co_await with_timeout(transport_->tls->async_read_some(buffer, use_tuple), timeout)
          : co_await with_timeout(transport_->socket.async_read_some(buffer, use_tuple), timeout);
  if (!got) {
    co_return fail(
        make_error(errc::timed_out, "{} sent nothing for {} ms", peer_name(), timeout.count()));
  }
  auto [ec, n] = *got;
  if (is_disconnect(ec)) {
    co_return fail(make_error(errc::closed, "{} closed the connection", peer_name()));
  }
  if (ec) {
    co_return fail(
        make_error(errc::io_error, "cannot read from {}: {}", peer_name(), ec.message()));
  }
  co_return n;
}

awaitable<result<void>> server_connection::send_ok(ok_packet ok) {
  auto payload = build_ok_packet(ok);
  co_return co_await send_raw_packet(payload);
}

awaitable<result<void>> server_connection::send_err(const err_packet& err) {
  auto payload = build_err_packet(err);
  co_return co_await send_raw_packet(payload);
}

awaitable<result<void>> server_connection::send_result_set(const query_result& answer) {
  auto payloads = build_query_response(answer, session_.deprecate_eof());
  co_return co_await send_packets(payloads);
}

awaitable<result<void>> server_connection::send_raw_packet(bytes_view payload) {
  std::vector<std::uint8_t> framed;
  append_frames(framed, payload, sequence_);
  co_return co_await write_raw(framed);
}

awaitable<result<void>> server_connection::send_packets(
    std::span<const std::vector<std::uint8_t>> payloads) {
  if (payloads.empty()) co_return result<void>();
  std::vector<std::uint8_t> framed;
  for (const auto& p : payloads) append_frames(framed, p, sequence_);
  co_return co_await write_raw(framed);
}

awaitable<result<void>> server_connection::send_frames(bytes_view frames,
                                                       std::uint8_t next_sequence) {
  sequence_ = next_sequence;
  co_return co_await write_raw(frames);
}

awaitable<result<void>> server_connection::write_raw(bytes_view bytes) {
  auto buffer = asio::buffer(bytes.data(), bytes.size());
  auto timeout = context_.options().write_timeout;
  auto written =
      transport_->tls
          ? co_await with_timeout(asio::async_write(*transport_->tls, buffer, use_tuple), timeout)
          : co_await with_timeout(
                asio::async_write(transport_->socket, buffer, transfer_everything, use_tuple),
                timeout);
  if (!written) {
    co_return fail(make_error(errc::timed_out, "writing to {} took longer than {} ms", peer_name(),
                              timeout.count()));
  }
  if (auto ec = std::get<0>(*written)) {
    errc code = is_disconnect(ec) ? errc::closed : errc::io_error;
    co_return fail(make_error(code, "cannot write to {}: {}", peer_name(), ec.message()));
  }
  co_return result<void>();
}

}  // namespace binrelay::protocol
