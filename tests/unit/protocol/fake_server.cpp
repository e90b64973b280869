#include "unit/protocol/fake_server.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "protocol/constants.h"

namespace binrelay::test {

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace binrelay::protocol;

asio::awaitable<void> peer::send(bytes_view payload) {
  std::vector<std::uint8_t> wire;
  append_frames(wire, payload, sequence);
  co_await send_raw(wire);
}

asio::awaitable<void> peer::send_raw(bytes_view bytes) {
  co_await asio::async_write(socket_, asio::buffer(bytes.data(), bytes.size()),
                             asio::use_awaitable);
}

asio::awaitable<std::vector<std::uint8_t>> peer::receive() {
  std::vector<std::uint8_t> buf(65536);
  while (true) {
    auto p = reader_.next(sequence, sequence_check::adopt);
    if (!p) throw std::runtime_error(p.error().describe());
    if (p->has_value()) co_return std::move(**p);
    std::size_t n = co_await socket_.async_read_some(asio::buffer(buf), asio::use_awaitable);
    reader_.feed(bytes_view(buf.data(), n));
  }
}

asio::awaitable<handshake_response> peer::handshake(const handshake_v10& greeting) {
  sequence = 0;
  co_await send(build_handshake_v10(greeting));
  auto payload = co_await receive();
  auto response = parse_handshake_response(payload);
  if (!response) throw std::runtime_error(response.error().describe());
  co_return std::move(*response);
}

asio::awaitable<void> peer::answer(const query_result& result, bool deprecate_eof) {
  for (const auto& p : build_query_response(result, deprecate_eof)) co_await send(p);
}

void peer::close() {
  boost::system::error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

scripted_exchange::scripted_exchange(script server)
    : acceptor_(context_, tcp::endpoint(asio::ip::address_v4::loopback(), 0)),
      server_(std::move(server)) {}

void scripted_exchange::run(std::function<asio::awaitable<void>(std::uint16_t)> client,
                            bool rethrow_server_errors) {
  std::exception_ptr server_error;
  std::exception_ptr client_error;
  std::uint16_t port = acceptor_.local_endpoint().port();
  asio::co_spawn(
      context_,
      [this]() -> asio::awaitable<void> {
        tcp::socket socket = co_await acceptor_.async_accept(asio::use_awaitable);
        peer p(std::move(socket));
        co_await server_(p);
      },
      [&](std::exception_ptr e) { server_error = e; });
  asio::co_spawn(context_, client(port), [&](std::exception_ptr e) { client_error = e; });
  context_.run();
  if (client_error) std::rethrow_exception(client_error);
  if (server_error && rethrow_server_errors) std::rethrow_exception(server_error);
}

handshake_v10 mysql8_greeting(std::string plugin) {
  handshake_v10 g;
  g.server_version = "8.0.36";
  g.connection_id = 8;
  for (std::uint8_t i = 1; i <= 20; ++i) g.scramble.push_back(i);
  g.capabilities = 0xdfffffffu & ~cap::ssl;
  g.charset = 255;
  g.status_flags = status::autocommit;
  g.auth_plugin_name = std::move(plugin);
  return g;
}

handshake_v10 mariadb_greeting() {
  handshake_v10 g = mysql8_greeting("mysql_native_password");
  g.server_version = "5.5.5-10.11.6-MariaDB-log";
  g.capabilities = (0xa1fff7feull & ~cap::ssl & ~cap::deprecate_eof) | (0x1dull << 32);
  return g;
}

query_result single_value(std::string column, std::optional<std::string> value) {
  query_result r;
  column_definition c;
  c.name = std::move(column);
  c.charset = 33;
  c.type = 0xfd;
  r.columns.push_back(std::move(c));
  r.rows.push_back({std::move(value)});
  return r;
}

}  // namespace binrelay::test
