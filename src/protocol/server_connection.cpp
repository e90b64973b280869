#include "protocol/server_connection.h"

#include <algorithm>

#include "common/log_text.h"
#include "protocol/constants.h"
#include "protocol/server_errors.h"

namespace binrelay::protocol {

using boost::asio::awaitable;
using boost::asio::ip::tcp;
using boost::system::error_code;

// GCC 12 destroys temporaries inside a co_await expression twice in some positions, so the
// payloads below are always named locals.

namespace {
constexpr std::size_t max_err_message = 512;  // MySQL's MYSQL_ERRMSG_SIZE
}  // namespace

bool client_session::deprecate_eof() const {
  return capabilities & cap::deprecate_eof;
}

server_connection::server_connection(tcp::socket socket, server_context& context)
    : transport_(std::move(socket)), context_(context) {
  transport_.reset_reader(
      std::min(context.options().max_handshake_packet_size, context.options().max_packet_size));
  transport_.set_write_timeout(context.options().write_timeout);
  error_code ec;
  auto remote = transport_.socket().remote_endpoint(ec);
  if (!ec) {
    session_.peer_host = remote.address().to_string();
    session_.peer_port = remote.port();
  }
  transport_.socket().set_option(tcp::no_delay(true), ec);
  session_.connection_id = context_.next_connection_id();
  transport_.set_peer_name(fmt::format("client {}:{} (connection {})", session_.peer_host,
                                       session_.peer_port, session_.connection_id));
}

server_connection::~server_connection() {
  if (slots_) slots_->logout();
}

ok_packet server_connection::default_ok() {
  ok_packet ok;
  ok.status_flags = status::autocommit;
  return ok;
}

awaitable<result<std::vector<std::uint8_t>>> server_connection::read_command() {
  transport_.set_sequence(0);
  transport_.set_read_timeout(context_.options().idle_timeout);
  auto payload = co_await transport_.read_packet(sequence_check::strict);
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
  transport_.set_read_timeout(context_.options().idle_timeout);
  co_return co_await transport_.read_packet(check);
}

awaitable<result<void>> server_connection::send_ok(ok_packet ok) {
  auto payload = build_ok_packet(ok);
  co_return co_await send_raw_packet(payload);
}

awaitable<result<void>> server_connection::send_err(const err_packet& err) {
  err_packet bounded = err;
  bounded.message = clipped(err.message, max_err_message);
  auto payload = build_err_packet(bounded);
  co_return co_await send_raw_packet(payload);
}

awaitable<result<void>> server_connection::send_result_set(const query_result& answer) {
  auto payloads = build_query_response(answer, session_.deprecate_eof());
  co_return co_await send_packets(payloads);
}

awaitable<result<void>> server_connection::send_raw_packet(bytes_view payload) {
  co_return co_await transport_.write_packet(payload);
}

awaitable<result<void>> server_connection::send_packets(
    std::span<const std::vector<std::uint8_t>> payloads) {
  co_return co_await transport_.write_packets(payloads);
}

awaitable<result<void>> server_connection::send_frames(bytes_view frames,
                                                       std::uint8_t next_sequence) {
  transport_.set_sequence(next_sequence);
  co_return co_await transport_.write_raw(frames);
}

}  // namespace binrelay::protocol
