// server_connection: the greeting, the optional switch to TLS, and authentication.
#include "protocol/server_connection.h"

#include "common/log.h"
#include "common/log_text.h"

#include "protocol/constants.h"
#include "protocol/handshake_response.h"
#include "protocol/server_auth.h"
#include "protocol/server_auth_exchange.h"
#include "protocol/server_errors.h"
#include "protocol/server_handshake.h"
#include "protocol/with_timeout.h"

namespace binrelay::protocol {

using boost::asio::awaitable;

// GCC 12 destroys temporaries inside a co_await expression twice in some positions, so the
// payloads below are always named locals.

awaitable<result<void>> server_connection::handshake(connection_slots* slots) {
  if (auto r = co_await refuse_if_blocked(); !r) co_return r.error();
  pending_slots_ = slots;
  auto timeout = context_.options().handshake_timeout;
  transport_.set_read_timeout(timeout);
  auto done = co_await with_timeout(handshake_steps(), timeout);
  if (!done) {
    co_return fail(make_error(errc::timed_out, "{} did not finish the handshake in {} ms",
                              peer_name(), timeout.count()));
  }
  co_return std::move(*done);
}

awaitable<result<void>> server_connection::refuse_if_blocked() {
  auto& throttle = context_.throttle();
  if (throttle.allowed(session_.peer_host, login_throttle::clock::now())) co_return result<void>();
  transport_.set_sequence(0);
  auto payload = build_err_packet(host_blocked(session_.peer_host));
  (void)co_await send_raw_packet(payload);
  auto e = make_error(errc::auth_failed, "{} refused: its address is blocked after failed logins",
                      peer_name());
  e.server_errno = er::host_blocked;
  co_return fail(std::move(e));
}

// Answered from the frame header alone: the announced bytes are never read.
awaitable<result<void>> server_connection::refuse_oversized(binrelay::error e) {
  transport_.set_sequence(std::uint8_t(transport_.sequence() + 1));
  auto err = packet_too_large();
  (void)co_await send_err(err);
  co_return fail(make_error(errc::too_large, "{} before login", e.message));
}

awaitable<result<void>> server_connection::handshake_steps() {
  auto scramble = generate_scramble();
  if (auto r = co_await send_greeting(scramble); !r) co_return r.error();
  auto payload = co_await read_response();
  if (!payload) {
    if (payload.error().code == errc::too_large)
      co_return co_await refuse_oversized(payload.error());
    co_return payload.error();
  }
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
  auto identity = context_.identity();
  greeting_plugin_ = identity.auth_plugin;
  auto greeting = make_server_greeting(identity, session_.connection_id, scramble);
  transport_.set_sequence(0);
  auto payload = build_handshake_v10(greeting);
  co_return co_await send_raw_packet(payload);
}

// The HandshakeResponse, after switching to TLS when the client first sends an SSLRequest.
// The first packet is read without reading past it: a client may send its TLS ClientHello
// right behind an SSLRequest, and those bytes belong to the TLS handshake.
awaitable<result<std::vector<std::uint8_t>>> server_connection::read_response() {
  auto payload = co_await transport_.read_packet_unbuffered();
  if (!payload || payload->size() != ssl_request_size) co_return payload;
  auto request = parse_ssl_request(*payload);
  if (!request || !context_.tls()) {
    auto err = bad_handshake();
    (void)co_await send_err(err);
    co_return fail(
        make_error(errc::protocol_error, "{} sent an unexpected SSLRequest", peer_name()));
  }
  if (auto r = co_await start_tls(); !r) co_return r.error();
  co_return co_await transport_.read_packet(sequence_check::strict);
}

awaitable<result<void>> server_connection::start_tls() {
  if (auto r = co_await transport_.start_tls(*context_.tls()); !r) co_return r.error();
  session_.tls = true;
  session_.tls_version = transport_.tls_version();
  session_.tls_cipher = transport_.tls_cipher();
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
  ctx.greeting_plugin = greeting_plugin_;
  server_auth auth(std::move(ctx));
  auto step = auth.start(response);
  for (int round = 0; step.next == server_auth_step::outcome::more && round < 8; ++round) {
    if (auto r = co_await send_packets(step.replies); !r) co_return r.error();
    auto packet = co_await transport_.read_packet(sequence_check::strict);
    if (!packet) {
      if (packet.error().code != errc::too_large) co_return packet.error();
      co_return co_await refuse_oversized(packet.error());
    }
    step = auth.on_packet(*packet);
  }
  auto admitted =
      step.next == server_auth_step::outcome::accepted ? admit(response, step) : result<void>();
  // Counted before the answer goes out: the client's next attempt must see it.
  bool refused = admitted && step.next != server_auth_step::outcome::accepted;
  if (refused) record_refusal(response);
  if (auto r = co_await send_packets(step.replies); !r) co_return r.error();
  if (!admitted) co_return fail(admitted.error());
  if (refused) {
    co_return fail(make_error(errc::auth_failed, "{} refused: access denied for user '{}'",
                              peer_name(), printable(response.user)));
  }
  session_.user = response.user;
  session_.database = response.database;
  session_.capabilities =
      negotiate_capabilities(server_capabilities(context_.tls() != nullptr), response.capabilities);
  session_.attributes = response.attributes;
  co_return result<void>();
}

result<void> server_connection::admit(const handshake_response& response, server_auth_step& step) {
  context_.throttle().record_success(session_.peer_host);
  if (pending_slots_ && !pending_slots_->try_login(response.user)) {
    step.next = server_auth_step::outcome::refused;
    step.replies.back() = build_err_packet(too_many_connections());
    auto e = make_error(errc::auth_failed,
                        "{} refused: too many connections ({} logged in) for user '{}'",
                        peer_name(), pending_slots_->logged_in(), printable(response.user));
    e.server_errno = er::too_many_connections;
    return e;
  }
  slots_ = pending_slots_;
  transport_.set_max_payload_size(context_.options().max_packet_size);
  return result<void>();
}

void server_connection::record_refusal(const handshake_response& response) {
  auto& throttle = context_.throttle();
  if (!throttle.record_failure(session_.peer_host, login_throttle::clock::now())) return;
  log::warn("refusing logins from {} for {} s: {} failed logins (the last as user '{}')",
            session_.peer_host, throttle.options().window.count(), throttle.options().max_failures,
            printable(response.user));
}

}  // namespace binrelay::protocol
