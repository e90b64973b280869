#include "protocol/connection.h"

#include <openssl/ssl.h>

#include <boost/asio/ssl.hpp>

#include "protocol/auth_exchange.h"
#include "protocol/constants.h"
#include "protocol/handshake_response.h"

namespace binrelay::protocol {

namespace asio = boost::asio;
using asio::awaitable;
using boost::system::error_code;

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

awaitable<result<void>> connection::start_tls(const connection_options& options) {
  const tls_options& t = options.tls;
  auto ctx = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
  error_code ec;
  if (!t.ca_file.empty() && ctx->load_verify_file(t.ca_file, ec)) {
    co_return make_error(errc::invalid_argument, "cannot load TLS CA file {}: {}", t.ca_file,
                         ec.message());
  }
  if (!t.cert_file.empty() && ctx->use_certificate_chain_file(t.cert_file, ec)) {
    co_return make_error(errc::invalid_argument, "cannot load TLS certificate {}: {}", t.cert_file,
                         ec.message());
  }
  if (!t.key_file.empty() && ctx->use_private_key_file(t.key_file, asio::ssl::context::pem, ec)) {
    co_return make_error(errc::invalid_argument, "cannot load TLS key {}: {}", t.key_file,
                         ec.message());
  }
  ctx->set_verify_mode(t.verify_server_cert ? asio::ssl::verify_peer : asio::ssl::verify_none);
  tls_context_ = std::move(ctx);
  std::string_view verify_host = t.verify_server_cert ? std::string_view(options.host) : "";
  co_return co_await transport_.start_tls(*tls_context_, verify_host);
}

awaitable<result<void>> connection::authenticate(const connection_options& options) {
  client_auth_options auth_options;
  auth_options.user = options.user;
  auth_options.password = options.password;
  auth_options.server_name = server_name();
  auth_options.secure_transport = tls_active();
  auth_options.tls_declined = !tls_active() && (greeting_.capabilities & cap::ssl);
  auth_options.server_public_key_pem = options.server_public_key_pem;
  auth_options.allow_public_key_request = options.allow_public_key_request;
  client_auth auth(std::move(auth_options));
  handshake_response response;
  response.capabilities = capabilities_;
  response.max_packet_size = std::uint32_t(options.max_packet_size);
  response.charset = default_charset;
  response.user = options.user;
  response.auth_response = auth.initial_response(greeting_.auth_plugin_name, greeting_.scramble);
  response.auth_plugin_name = auth.plugin();
  response.database = options.database;
  response.attributes = options.attributes;
  auto payload = build_handshake_response(response);
  if (auto r = co_await write_packet(payload); !r) co_return r.error();
  for (int round = 0; round < 8; ++round) {
    auto packet = co_await read_packet();
    if (!packet) co_return packet.error();
    auto step = auth.on_packet(*packet);
    if (!step) co_return step.error();
    if (step->next == auth_step::action::done) co_return result<void>();
    if (step->next == auth_step::action::send) {
      if (auto r = co_await write_packet(step->reply); !r) co_return r.error();
    }
  }
  co_return make_error(errc::protocol_error, "server {} did not finish authentication",
                       server_name());
}

using boost::asio::awaitable;

namespace {

// A minimal OK packet on the wire: 4-byte header, 0x00, two 1-byte lengths, status, warnings.
constexpr std::size_t ok_packet_wire_size = 11;

}  // namespace

awaitable<result<query_result>> connection::query(std::string_view sql) {
  auto batch = co_await query_batch(sql);
  if (!batch) co_return std::move(batch).error();
  if (batch->failure) co_return std::move(*batch->failure);
  co_return std::move(batch->results.front());
}

awaitable<result<connection::batch_result>> connection::query_batch(std::string_view sql) {
  auto command = build_com_query(sql);
  if (auto r = co_await write_command(command); !r) co_return r.error();
  co_return co_await read_answer();
}

awaitable<result<connection::batch_result>> connection::query_batch(std::string_view sql,
                                                                    std::size_t statements) {
  if (auto r = co_await send_query(sql); !r) co_return r.error();
  co_return co_await read_answer(statements);
}

awaitable<result<void>> connection::send_query(std::string_view sql) {
  auto command = build_com_query(sql);
  co_return co_await write_command(command);
}

awaitable<result<connection::batch_result>> connection::read_answer(std::size_t statements) {
  batch_result out;
  query_response_reader answer(capabilities_ & cap::deprecate_eof);
  // The shortest answer to each statement is an OK packet.
  std::size_t expected = statements * ok_packet_wire_size;
  transport_.expect_bytes(expected > buffered_bytes() ? expected - buffered_bytes() : 0);
  while (true) {
    auto packet = co_await transport_.read_packet(sequence_check::strict);
    if (!packet) co_return packet.error();
    auto done = answer.on_packet(*packet);
    if (!done) {
      transport_.expect_bytes(0);
      binrelay::error e = answer_failure(std::move(done).error());
      if (e.code != errc::server_error) co_return e;
      out.failure = std::move(e);
      co_return out;
    }
    if (!*done) continue;
    out.results.push_back(std::move(answer.answer()));
    bool more = statements > 0 ? out.results.size() < statements
                               : (out.results.back().ok.status_flags & status::more_results_exist);
    if (!more) {
      transport_.expect_bytes(0);
      co_return out;
    }
    answer = query_response_reader(capabilities_ & cap::deprecate_eof);
  }
}

binrelay::error connection::answer_failure(binrelay::error e) {
  e.message = fmt::format("server {}: {}", server_name(), e.message);
  if (e.code != errc::server_error) close();
  return e;
}

awaitable<result<prepare_ok>> connection::prepare(std::string_view sql) {
  auto command = build_com_stmt_prepare(sql);  // (named: GCC 12 mishandles temporaries in co_await)
  if (auto r = co_await write_command(command); !r) co_return r.error();
  prepare_response_reader answer(capabilities_ & cap::deprecate_eof);
  while (true) {
    auto packet = co_await read_packet();
    if (!packet) co_return packet.error();
    auto done = answer.on_packet(*packet);
    if (!done) co_return answer_failure(std::move(done).error());
    if (*done) co_return answer.answer();
  }
}

awaitable<result<void>> connection::close_statement(std::uint32_t statement_id) {
  auto command = build_com_stmt_close(statement_id);
  co_return co_await write_command(command);
}

awaitable<result<std::vector<connection::batch_result>>> connection::pipeline(
    const std::vector<std::vector<std::uint8_t>>& commands) {
  std::vector<batch_result> out;
  if (compressed()) {
    for (const auto& c : commands) {
      if (auto r = co_await write_command(c); !r) co_return r.error();
      auto a = co_await read_answer();
      if (!a) co_return std::move(a).error();
      out.push_back(std::move(*a));
    }
    co_return out;
  }
  std::vector<std::uint8_t> wire;
  for (const auto& c : commands) {
    std::uint8_t sequence = 0;
    append_frames(wire, c, sequence);
  }
  if (auto r = co_await transport_.write_raw(wire); !r) co_return r.error();
  for (std::size_t i = 0; i < commands.size(); ++i) {
    transport_.set_sequence(1);
    auto a = co_await read_answer();
    if (!a) co_return std::move(a).error();
    out.push_back(std::move(*a));
  }
  co_return out;
}

}  // namespace binrelay::protocol
