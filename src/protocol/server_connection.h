#pragma once
// The server side of one client connection: a C++20 coroutine API over a TCP socket that it
// owns, optionally upgraded to TLS. handshake() sends the greeting, switches to TLS when the
// client asks, and authenticates against the server's accounts (server_auth_exchange.h).
// Then the owner runs a command loop: read_command() yields each command payload, and the
// send_* calls answer it. Protocol details: docs/protocol.md, "Server side".
//
// The bytes travel through a packet_transport; the handshake is in
// server_connection_handshake.cpp.
//
// Every operation returns result<T>. After any error the connection is closed and must be
// discarded; errc::closed means the client quit or went away.
//
// Threading: one coroutine at a time may use a connection; all its operations run on the
// socket's executor. Cancellation (e.g. the listener stopping) aborts the pending operation
// with errc::closed. `context` must outlive the connection.

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "common/bytes.h"
#include "common/result.h"
#include "protocol/packet_framing.h"
#include "protocol/packet_transport.h"
#include "protocol/response_packets.h"
#include "protocol/server_admission.h"
#include "protocol/server_auth_exchange.h"
#include "protocol/server_context.h"
#include "protocol/text_result_set.h"

namespace binrelay::protocol {

// Who is on the other end; complete after handshake() succeeded.
struct client_session {
  std::uint32_t connection_id = 0;
  std::string peer_host;  // client IP address, as in "Access denied for user 'u'@'<host>'"
  std::uint16_t peer_port = 0;
  std::string user;
  std::string database;            // from CONNECT_WITH_DB; empty: none
  std::uint64_t capabilities = 0;  // negotiated
  bool tls = false;
  std::string tls_version;  // e.g. "TLSv1.3" while tls; else empty
  std::string tls_cipher;   // e.g. "TLS_AES_256_GCM_SHA384" while tls; else empty
  std::vector<std::pair<std::string, std::string>> attributes;

  bool deprecate_eof() const;
};

class server_connection {
 public:
  server_connection(boost::asio::ip::tcp::socket socket, server_context& context);
  ~server_connection();
  server_connection(const server_connection&) = delete;
  server_connection& operator=(const server_connection&) = delete;

  // Greeting, optional TLS, authentication, all within the handshake timeout. A refused login
  // has been answered with ERR 1045 and returns errc::auth_failed naming user and host.
  // Before login no packet may exceed options().max_handshake_packet_size (ERR 1153); a source
  // address the login throttle blocks gets ERR 1129 in place of the greeting (server_errno
  // 1129). With `slots`, an accepted login takes a slot (ERR 1040 in place of the OK when none
  // is left, server_errno 1040) and gives it back when the connection is destroyed; `slots`
  // must outlive the connection.
  boost::asio::awaitable<result<void>> handshake(connection_slots* slots = nullptr);

  // The next command (its first byte is the command code); sequence ids restart. Waits up to
  // the idle timeout (errc::timed_out). COM_QUIT and a closed socket are errc::closed. A
  // command over max_packet_size is answered with ERR 1153 and is errc::too_large.
  boost::asio::awaitable<result<std::vector<std::uint8_t>>> read_command();
  // The client's next packet within the current command (e.g. a semi-sync ACK).
  boost::asio::awaitable<result<std::vector<std::uint8_t>>> read_packet(
      sequence_check check = sequence_check::strict);

  // OK with status autocommit unless `ok` says otherwise.
  boost::asio::awaitable<result<void>> send_ok(ok_packet ok = default_ok());
  // The message is cut at 512 bytes (MySQL's MYSQL_ERRMSG_SIZE), whoever built it.
  boost::asio::awaitable<result<void>> send_err(const err_packet& err);
  // Column count, definitions, [EOF], rows, terminator, in one write.
  boost::asio::awaitable<result<void>> send_result_set(const query_result& answer);
  // One payload continuing the current sequence (binlog events, heartbeats).
  boost::asio::awaitable<result<void>> send_raw_packet(bytes_view payload);
  // Several payloads continuing the sequence, in one write.
  boost::asio::awaitable<result<void>> send_packets(
      std::span<const std::vector<std::uint8_t>> payloads);

  // Packets the caller framed itself (append_frames, append_stream_event_frames), numbered
  // from next_sequence(), in one write; the sequence continues at `next_sequence` (the id after
  // the last frame). Lets a binlog dump frame its events straight into one buffer.
  boost::asio::awaitable<result<void>> send_frames(bytes_view frames, std::uint8_t next_sequence);
  // The sequence id of the next packet this connection sends.
  std::uint8_t next_sequence() const { return transport_.sequence(); }

  const client_session& session() const { return session_; }
  bool is_open() const { return transport_.is_open(); }
  void close() { transport_.close(); }

  static ok_packet default_ok();

 private:
  boost::asio::awaitable<result<void>> send_greeting(const std::vector<std::uint8_t>& scramble);
  boost::asio::awaitable<result<std::vector<std::uint8_t>>> read_response();
  boost::asio::awaitable<result<void>> start_tls();
  boost::asio::awaitable<result<void>> authenticate(const handshake_response& response,
                                                    std::vector<std::uint8_t> scramble);
  boost::asio::awaitable<result<void>> handshake_steps();
  // ERR 1129 in place of the greeting when the login throttle blocks the peer's address.
  boost::asio::awaitable<result<void>> refuse_if_blocked();
  // ERR 1153 for a packet over the pre-login limit, and close.
  boost::asio::awaitable<result<void>> refuse_oversized(binrelay::error e);
  // The login was accepted: takes a slot (else replaces the OK by ERR 1040) and lifts the
  // packet limit to max_packet_size.
  result<void> admit(const handshake_response& response, server_auth_step& step);
  void record_refusal(const handshake_response& response);
  binrelay::error fail(binrelay::error e) { return transport_.fail(std::move(e)); }
  const std::string& peer_name() const { return transport_.peer_name(); }

  packet_transport transport_;
  server_context& context_;
  client_session session_;
  connection_slots* pending_slots_ = nullptr;  // handshake()'s
  connection_slots* slots_ = nullptr;          // with a slot taken, given back by the destructor
  std::string greeting_plugin_;                // named in the greeting; accounts without one use it
};

}  // namespace binrelay::protocol
