#pragma once
// A scripted fake MySQL server for client tests: listens on 127.0.0.1 (any free port) and runs
// a test-supplied coroutine against the first connection it accepts. The script speaks in
// payloads through `peer`, using binrelay's own codecs for the server side.

#include <cstdint>
#include <exception>
#include <functional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "common/bytes.h"
#include "protocol/handshake.h"
#include "protocol/handshake_response.h"
#include "protocol/packet_framing.h"
#include "protocol/text_result_set.h"

namespace binrelay::test {

class peer {
 public:
  explicit peer(boost::asio::ip::tcp::socket socket) : socket_(std::move(socket)) {}

  // Frames `payload` with the next server sequence id.
  boost::asio::awaitable<void> send(bytes_view payload);
  boost::asio::awaitable<void> send_raw(bytes_view bytes);
  // The next client payload; the reply continues the client's sequence. Throws on EOF.
  boost::asio::awaitable<std::vector<std::uint8_t>> receive();
  // Sends the greeting, reads the HandshakeResponse.
  boost::asio::awaitable<protocol::handshake_response> handshake(
      const protocol::handshake_v10& greeting);
  // Sends a whole query answer.
  boost::asio::awaitable<void> answer(const protocol::query_result& result, bool deprecate_eof);
  void close();

  std::uint8_t sequence = 0;

 private:
  boost::asio::ip::tcp::socket socket_;
  protocol::packet_reader reader_;
};

using script = std::function<boost::asio::awaitable<void>(peer&)>;

// Runs one scripted server and one client coroutine to completion on a fresh io_context.
// The client gets the port. Rethrows an exception escaping the server script only when
// `rethrow_server_errors`.
class scripted_exchange {
 public:
  explicit scripted_exchange(script server);
  void run(std::function<boost::asio::awaitable<void>(std::uint16_t port)> client,
           bool rethrow_server_errors = true);
  boost::asio::io_context& context() { return context_; }

 private:
  boost::asio::io_context context_;
  boost::asio::ip::tcp::acceptor acceptor_;
  script server_;
};

// Greetings of the two flavours, with scramble 0x01..0x14.
protocol::handshake_v10 mysql8_greeting(std::string plugin = "caching_sha2_password");
protocol::handshake_v10 mariadb_greeting();

// A one-column text result set.
protocol::query_result single_value(std::string column, std::optional<std::string> value);

}  // namespace binrelay::test
