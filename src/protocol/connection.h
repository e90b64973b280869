#pragma once
// A client connection to a MySQL or MariaDB server: a C++20 coroutine over TCP, optionally
// upgraded to TLS, optionally zlib-compressed. It runs the handshake and authentication, then
// carries commands and their answers as whole payloads (frames of >16 MiB reassembled).
// Protocol details: docs/protocol.md. The codecs it drives are the sans-I/O files beside it;
// the bytes travel through a packet_transport. One operation per file: connection.cpp
// (connect), connection_auth.cpp (TLS, authentication), connection_query.cpp,
// connection_pipeline.cpp, connection_prepare.cpp.
//
// Every operation returns result<T>; I/O errors, timeouts and server errors are typed errors
// naming the server. After any error except errc::server_error from a query, the connection is
// closed and must be discarded.
//
// Threading: one coroutine at a time may use a connection; all its operations run on the
// executor given at construction. The password never appears in errors or logs.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "common/bytes.h"
#include "common/result.h"
#include "protocol/compression.h"
#include "protocol/handshake.h"
#include "protocol/packet_framing.h"
#include "protocol/packet_transport.h"
#include "protocol/prepared_statement.h"
#include "protocol/text_result_set.h"

namespace binrelay::protocol {

enum class tls_mode {
  disabled,   // never TLS
  preferred,  // TLS when the server offers it
  required,   // fail when the server does not offer it
};

struct tls_options {
  tls_mode mode = tls_mode::preferred;
  std::string ca_file;              // PEM bundle to verify the server with
  bool verify_server_cert = false;  // REQUIRES ca_file when true; also checks the host name
  std::string cert_file;            // client certificate (PEM), optional
  std::string key_file;             // its private key (PEM)
};

struct connection_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 3306;
  std::string user;
  std::string password;
  std::string database;  // empty: none
  tls_options tls;
  bool compress = false;          // zlib protocol compression when the server offers it
  bool multi_statements = false;  // CLIENT_MULTI_STATEMENTS: ';'-separated batches
  bool found_rows = false;        // CLIENT_FOUND_ROWS: UPDATE reports matched, not changed, rows
  std::chrono::milliseconds connect_timeout{10'000};  // TCP connect through authentication
  std::chrono::milliseconds read_timeout{30'000};     // any later read or write
  std::size_t max_packet_size = std::size_t(1) << 30;
  // caching_sha2_password full authentication without TLS.
  std::string server_public_key_pem;
  bool allow_public_key_request = false;
  std::vector<std::pair<std::string, std::string>> attributes = {{"_client_name", "binrelay"}};
};

class connection {
 public:
  explicit connection(boost::asio::any_io_executor executor);
  ~connection();
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  // Connects, reads the greeting, upgrades to TLS as `options.tls` asks, authenticates.
  boost::asio::awaitable<result<void>> connect_and_authenticate(connection_options options);

  // Runs one statement; ERR becomes errc::server_error (the connection stays usable).
  boost::asio::awaitable<result<query_result>> query(std::string_view sql);

  // Runs a ';'-separated batch (REQUIRES: options.multi_statements) and reads every answer.
  // The server stops at the first failing statement: `failure` holds its error and
  // `results.size()` is its index. Other errors (I/O, protocol) are returned as errors.
  struct batch_result {
    std::vector<query_result> results;
    std::optional<binrelay::error> failure;
  };
  boost::asio::awaitable<result<batch_result>> query_batch(std::string_view sql);
  // As query_batch(), for a batch of exactly `statements` statements that each answer OK or
  // ERR: reads that many answers (or up to the first failure) whatever their more-results
  // flags say. MariaDB answers a BINLOG statement without SERVER_MORE_RESULTS_EXISTS even
  // when statements follow it (seen with 10.11), so the flag cannot end such a batch.
  boost::asio::awaitable<result<batch_result>> query_batch(std::string_view sql,
                                                           std::size_t statements);
  // The two halves of the counted query_batch(), to keep several batches in flight: sends
  // the COM_QUERY, then (later, in the same order) reads its answer.
  boost::asio::awaitable<result<void>> send_query(std::string_view sql);
  boost::asio::awaitable<result<batch_result>> read_batch_answer(std::size_t statements) {
    return read_answer(statements);
  }

  // Prepares `sql` in one round trip. ERR becomes errc::server_error (the connection stays
  // usable). The statement lives until close_statement() or the end of the connection.
  boost::asio::awaitable<result<prepare_ok>> prepare(std::string_view sql);
  // Deallocates a prepared statement (COM_STMT_CLOSE has no answer).
  boost::asio::awaitable<result<void>> close_statement(std::uint32_t statement_id);

  // Pipelining: writes every command payload (COM_QUERY, COM_STMT_EXECUTE, ...) at once, then
  // reads their answers in order; the server runs the commands one after another whatever
  // each one's answer is. One batch_result per command, as query_batch() returns it: a
  // server error in one command does not stop the reading of the others.
  // REQUIRES: every command is answered by OK, ERR or text result sets (COM_QUERY, or
  // COM_STMT_EXECUTE of a statement without result columns). With protocol compression the
  // commands are sent one at a time.
  boost::asio::awaitable<result<std::vector<batch_result>>> pipeline(
      const std::vector<std::vector<std::uint8_t>>& commands);

  // Starts a new command (sequence ids restart at 0) and sends its payload.
  boost::asio::awaitable<result<void>> write_command(bytes_view payload);
  // Sends a payload continuing the current sequence.
  boost::asio::awaitable<result<void>> write_packet(bytes_view payload) {
    return transport_.write_packet(payload);
  }
  // The next whole payload from the server, within the read timeout.
  boost::asio::awaitable<result<std::vector<std::uint8_t>>> read_packet(
      sequence_check check = sequence_check::strict) {
    return transport_.read_packet(check);
  }
  // As read_packet(), without copying: a view into the connection's buffer, valid until the
  // next read on this connection.
  boost::asio::awaitable<result<bytes_view>> read_packet_view(
      sequence_check check = sequence_check::strict) {
    return transport_.read_packet_view(check);
  }
  // The next whole payload if it is buffered already, without waiting (nullopt: read_packet*
  // would wait for the network). Same view lifetime as read_packet_view().
  result<std::optional<bytes_view>> buffered_packet_view(
      sequence_check check = sequence_check::strict) {
    return transport_.buffered_packet_view(check);
  }

  void set_read_timeout(std::chrono::milliseconds timeout) { transport_.set_read_timeout(timeout); }
  // The server's greeting; valid after connect_and_authenticate succeeded.
  const handshake_v10& greeting() const { return greeting_; }
  std::uint64_t capabilities() const { return capabilities_; }
  bool tls_active() const { return transport_.tls_active(); }
  bool compressed() const { return transport_.compressed(); }
  // Bytes received from the server and not yet returned as packets: when non-zero, the next
  // read_packet() is likely to complete without waiting for the network.
  std::size_t buffered_bytes() const { return transport_.buffered_bytes(); }
  // "host:port", for messages.
  const std::string& server_name() const { return transport_.peer_name(); }
  bool is_open() const { return transport_.is_open(); }
  void close() { transport_.close(); }

 private:
  boost::asio::awaitable<result<void>> start_tls(const connection_options& options);
  boost::asio::awaitable<result<void>> authenticate(const connection_options& options);
  // Reads answers until one without more-results, or (statements > 0) until that many.
  boost::asio::awaitable<result<batch_result>> read_answer(std::size_t statements = 0);
  // A reader's failure named after the server; anything but the server's own ERR closes the
  // connection (the stream is no longer in step).
  binrelay::error answer_failure(binrelay::error e);
  binrelay::error fail(binrelay::error e) { return transport_.fail(std::move(e)); }

  std::unique_ptr<boost::asio::ssl::context> tls_context_;  // outlives transport_'s TLS stream
  packet_transport transport_;
  handshake_v10 greeting_;
  std::uint64_t capabilities_ = 0;
};

}  // namespace binrelay::protocol
