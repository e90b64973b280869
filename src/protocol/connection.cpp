#include "protocol/connection.h"

#include <boost/asio/ssl/context.hpp>

#include "protocol/constants.h"
#include "protocol/handshake_response.h"

namespace binrelay::protocol {

using boost::asio::awaitable;

namespace {

std::uint64_t client_capabilities(const handshake_v10& greeting, const connection_options& o,
                                  bool tls) {
  std::uint64_t wanted = cap::long_password | cap::long_flag | cap::protocol_41 |
                         cap::transactions | cap::secure_connection | cap::multi_results |
                         cap::plugin_auth | cap::plugin_auth_lenenc_client_data |
                         cap::connect_attrs | cap::deprecate_eof;
  if (!o.database.empty()) wanted |= cap::connect_with_db;
  if (o.compress) wanted |= cap::compress;
  if (o.multi_statements) wanted |= cap::multi_statements;
  if (o.found_rows) wanted |= cap::found_rows;
  if (tls) wanted |= cap::ssl;
  return wanted & (greeting.capabilities | cap::long_password);
}

}  // namespace

connection::connection(boost::asio::any_io_executor executor) : transport_(std::move(executor)) {}

connection::~connection() = default;

awaitable<result<void>> connection::connect_and_authenticate(connection_options options) {
  transport_.set_peer_name(fmt::format("{}:{}", options.host, options.port));
  transport_.set_read_timeout(options.connect_timeout);
  transport_.reset_reader(options.max_packet_size);
  auto connected = co_await transport_.connect(options.host, options.port, options.connect_timeout);
  if (!connected) co_return fail(connected.error());
  transport_.set_sequence(0);
  auto payload = co_await read_packet();
  if (!payload) co_return payload.error();
  auto greeting = parse_handshake_v10(*payload);
  if (!greeting) {
    binrelay::error e = greeting.error();
    e.message = fmt::format("server {}: {}", server_name(), e.message);
    co_return fail(std::move(e));
  }
  greeting_ = std::move(*greeting);
  if (!(greeting_.capabilities & cap::protocol_41)) {
    co_return fail(make_error(errc::unsupported, "server {} ({}) does not speak protocol 4.1",
                              server_name(), greeting_.server_version));
  }
  bool server_tls = greeting_.capabilities & cap::ssl;
  if (options.tls.mode == tls_mode::required && !server_tls) {
    co_return fail(make_error(errc::unsupported,
                              "server {} does not offer TLS, but TLS is required", server_name()));
  }
  bool use_tls = server_tls && options.tls.mode != tls_mode::disabled;
  capabilities_ = client_capabilities(greeting_, options, use_tls);
  if (use_tls) {
    auto request =
        build_ssl_request({capabilities_, std::uint32_t(options.max_packet_size), default_charset});
    if (auto r = co_await write_packet(request); !r) co_return r.error();
    if (auto r = co_await start_tls(options); !r) co_return fail(r.error());
  }
  if (auto r = co_await authenticate(options); !r) co_return fail(r.error());
  if (capabilities_ & cap::compress) transport_.enable_compression();
  transport_.set_read_timeout(options.read_timeout);
  co_return result<void>();
}

awaitable<result<void>> connection::write_command(bytes_view payload) {
  transport_.start_command();
  co_return co_await transport_.write_packet(payload);
}

}  // namespace binrelay::protocol
