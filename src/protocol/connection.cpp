#include "protocol/connection.h"

#include <openssl/ssl.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "protocol/auth_exchange.h"
#include "protocol/constants.h"
#include "protocol/handshake_response.h"

namespace binrelay::protocol {

namespace asio = boost::asio;
using asio::awaitable;
using asio::ip::tcp;
using boost::system::error_code;
using namespace asio::experimental::awaitable_operators;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
// Bytes asked of the socket per read. Large, so that a binlog backlog arrives in big slices:
// the upstream session appends what one read delivered as one batch (one fdatasync).
constexpr std::size_t read_chunk_size = std::size_t(1) << 20;
// A minimal OK packet on the wire: 4-byte header, 0x00, two 1-byte lengths, status, warnings.
constexpr std::size_t ok_packet_wire_size = 11;
// SO_RCVLOWAT beyond this is not useful (socket buffers), and how long to trust it: an answer
// an error cut short never reaches it, and waiting long for a slow batch was measured to cost
// more than the wake-ups it saves (74k replayed transactions: 5.75 s with 20 ms, 5.0 s with
// 5 ms, 4.8-5.2 s with 1 ms at 3x the fallbacks).
constexpr std::size_t max_low_watermark = 64 * 1024;
constexpr std::chrono::milliseconds low_watermark_wait{5};

// Runs `op` unless `timeout` passes first; nullopt on timeout (the op is cancelled).
template <class T>
awaitable<std::optional<T>> with_timeout(awaitable<T> op, std::chrono::milliseconds timeout) {
  asio::steady_timer timer(co_await asio::this_coro::executor, timeout);
  auto r = co_await (std::move(op) || timer.async_wait(use_tuple));
  if (r.index() == 1) co_return std::nullopt;
  co_return std::get<0>(std::move(r));
}

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

struct connection::transport {
  explicit transport(asio::any_io_executor executor) : socket(std::move(executor)) {}
  tcp::socket socket;
  std::unique_ptr<asio::ssl::context> tls_context;
  std::unique_ptr<asio::ssl::stream<tcp::socket&>> tls;
};

connection::connection(asio::any_io_executor executor)
    : transport_(std::make_unique<transport>(std::move(executor))) {}

connection::~connection() = default;

bool connection::tls_active() const {
  return transport_->tls != nullptr;
}
bool connection::is_open() const {
  return transport_->socket.is_open();
}

void connection::close() {
  error_code ignored;
  transport_->socket.shutdown(tcp::socket::shutdown_both, ignored);
  transport_->socket.close(ignored);
}

binrelay::error connection::fail(binrelay::error e) {
  close();
  return e;
}

awaitable<result<void>> connection::connect_and_authenticate(connection_options options) {
  server_name_ = fmt::format("{}:{}", options.host, options.port);
  read_timeout_ = options.connect_timeout;
  reader_ = packet_reader(options.max_packet_size);
  compressed_ = false;
  if (auto r = co_await connect_tcp(options); !r) co_return fail(r.error());
  sequence_ = 0;
  auto payload = co_await read_packet();
  if (!payload) co_return payload.error();
  auto greeting = parse_handshake_v10(*payload);
  if (!greeting) {
    binrelay::error e = greeting.error();
    e.message = fmt::format("server {}: {}", server_name_, e.message);
    co_return fail(std::move(e));
  }
  greeting_ = std::move(*greeting);
  if (!(greeting_.capabilities & cap::protocol_41)) {
    co_return fail(make_error(errc::unsupported, "server {} ({}) does not speak protocol 4.1",
                              server_name_, greeting_.server_version));
  }
  bool server_tls = greeting_.capabilities & cap::ssl;
  if (options.tls.mode == tls_mode::required && !server_tls) {
    co_return fail(make_error(errc::unsupported,
                              "server {} does not offer TLS, but TLS is required", server_name_));
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
  if (capabilities_ & cap::compress) {
    compressed_ = true;
    compressed_reader_ = compressed_reader(max_frame_payload);
  }
  read_timeout_ = options.read_timeout;
  co_return result<void>();
}

awaitable<result<void>> connection::connect_tcp(const connection_options& options) {
  tcp::resolver resolver(co_await asio::this_coro::executor);
  std::string service = std::to_string(options.port);
  auto resolved = co_await with_timeout(resolver.async_resolve(options.host, service, use_tuple),
                                        options.connect_timeout);
  if (!resolved) {
    co_return make_error(errc::timed_out, "resolving {} took longer than {} ms", server_name_,
                         options.connect_timeout.count());
  }
  auto& [resolve_ec, endpoints] = *resolved;
  if (resolve_ec) {
    co_return make_error(errc::io_error, "cannot resolve {}: {}", server_name_,
                         resolve_ec.message());
  }
  auto connected = co_await with_timeout(
      asio::async_connect(transport_->socket, endpoints, use_tuple), options.connect_timeout);
  if (!connected) {
    co_return make_error(errc::timed_out, "connecting to {} took longer than {} ms", server_name_,
                         options.connect_timeout.count());
  }
  if (auto ec = std::get<0>(*connected)) {
    co_return make_error(errc::io_error, "cannot connect to {}: {}", server_name_, ec.message());
  }
  transport_->socket.set_option(tcp::no_delay(true));
  co_return result<void>();
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
  auto stream = std::make_unique<asio::ssl::stream<tcp::socket&>>(transport_->socket, *ctx);
  if (t.verify_server_cert) {
    stream->set_verify_callback(asio::ssl::host_name_verification(options.host));
  }
  auto done = co_await with_timeout(
      stream->async_handshake(asio::ssl::stream_base::client, use_tuple), options.connect_timeout);
  if (!done) {
    co_return make_error(errc::timed_out, "TLS handshake with {} took longer than {} ms",
                         server_name_, options.connect_timeout.count());
  }
  if (auto hec = std::get<0>(*done)) {
    co_return make_error(errc::io_error, "TLS handshake with {} failed: {}", server_name_,
                         hec.message());
  }
  transport_->tls_context = std::move(ctx);
  transport_->tls = std::move(stream);
  co_return result<void>();
}

awaitable<result<void>> connection::authenticate(const connection_options& options) {
  client_auth_options auth_options;
  auth_options.user = options.user;
  auth_options.password = options.password;
  auth_options.server_name = server_name_;
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
                       server_name_);
}

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
  expected_bytes_ = expected > buffered_bytes() ? expected - buffered_bytes() : 0;
  while (true) {
    auto packet = co_await read_packet();
    if (!packet) co_return packet.error();
    auto done = answer.on_packet(*packet);
    if (!done) {
      expected_bytes_ = 0;
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
      expected_bytes_ = 0;
      co_return out;
    }
    answer = query_response_reader(capabilities_ & cap::deprecate_eof);
  }
}

binrelay::error connection::answer_failure(binrelay::error e) {
  e.message = fmt::format("server {}: {}", server_name_, e.message);
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
  if (compressed_) {
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
  if (auto r = co_await write_raw(wire); !r) co_return r.error();
  for (std::size_t i = 0; i < commands.size(); ++i) {
    sequence_ = 1;
    auto a = co_await read_answer();
    if (!a) co_return std::move(a).error();
    out.push_back(std::move(*a));
  }
  co_return out;
}

awaitable<result<void>> connection::write_command(bytes_view payload) {
  sequence_ = 0;
  compressed_sequence_ = 0;
  co_return co_await write_packet(payload);
}

awaitable<result<void>> connection::write_packet(bytes_view payload) {
  std::vector<std::uint8_t> framed;
  append_frames(framed, payload, sequence_);
  if (!compressed_) co_return co_await write_raw(framed);
  std::vector<std::uint8_t> wire;
  append_compressed(wire, framed, compressed_sequence_);
  co_return co_await write_raw(wire);
}

awaitable<result<void>> connection::write_raw(bytes_view bytes) {
  auto buffer = asio::buffer(bytes.data(), bytes.size());
  // (No co_await inside ?: — GCC 12 destroys such temporaries twice.)
  std::optional<std::tuple<error_code, std::size_t>> written;
  if (transport_->tls) {
    written = co_await with_timeout(asio::async_write(*transport_->tls, buffer, use_tuple),
                                    read_timeout_);
  } else {
    written = co_await with_timeout(asio::async_write(transport_->socket, buffer, use_tuple),
                                    read_timeout_);
  }
  if (!written) {
    co_return fail(make_error(errc::timed_out, "writing to {} took longer than {} ms", server_name_,
                              read_timeout_.count()));
  }
  if (auto ec = std::get<0>(*written)) {
    co_return fail(
        make_error(errc::io_error, "cannot write to {}: {}", server_name_, ec.message()));
  }
  co_return result<void>();
}

result<std::optional<bytes_view>> connection::next_buffered(sequence_check check) {
  while (compressed_) {
    auto chunk = compressed_reader_.next(compressed_sequence_, sequence_check::adopt);
    if (!chunk) return chunk.error();
    if (!chunk->has_value()) break;
    reader_.feed(**chunk);
  }
  return reader_.next_view(sequence_, check);
}

awaitable<result<std::vector<std::uint8_t>>> connection::read_packet(sequence_check check) {
  auto view = co_await read_packet_view(check);
  if (!view) co_return view.error();
  co_return std::vector<std::uint8_t>(view->begin(), view->end());
}

result<std::optional<bytes_view>> connection::buffered_packet_view(sequence_check check) {
  auto packet = next_buffered(check);
  if (!packet) {
    binrelay::error e = std::move(packet).error();
    e.message = fmt::format("server {}: {}", server_name_, e.message);
    return fail(std::move(e));
  }
  return packet;
}

awaitable<result<bytes_view>> connection::read_packet_view(sequence_check check) {
  while (true) {
    auto packet = buffered_packet_view(check);
    if (!packet) co_return packet.error();
    if (packet->has_value()) co_return **packet;
    if (compressed_) {
      read_buffer_.resize(read_chunk_size);
      auto n = co_await read_some(read_buffer_);
      if (!n) co_return n.error();
      compressed_reader_.feed(bytes_view(read_buffer_.data(), *n));
    } else {
      auto n = co_await read_some(reader_.prepare(read_chunk_size));
      if (!n) co_return n.error();
      reader_.commit(*n);
    }
  }
}

// SO_RCVLOWAT: the kernel wakes a waiting read only once `bytes` are buffered (1: any).
void connection::set_low_watermark(std::size_t bytes) {
  if (bytes == socket_low_watermark_) return;
  error_code ignored;
  transport_->socket.set_option(asio::socket_base::receive_low_watermark(int(bytes)), ignored);
  socket_low_watermark_ = ignored ? 1 : bytes;
}

awaitable<result<std::size_t>> connection::read_some(std::span<std::uint8_t> into) {
  auto buffer = asio::buffer(into.data(), into.size());
  std::optional<std::tuple<error_code, std::size_t>> got;
  if (transport_->tls) {
    got = co_await with_timeout(transport_->tls->async_read_some(buffer, use_tuple), read_timeout_);
  } else {
    // An answer known to be long wakes us once, not per packet; if it is shorter than
    // expected (an error ended it), the watermark is dropped after a short wait.
    bool plain = !compressed_ && expected_bytes_ > 1;
    set_low_watermark(plain ? std::min(expected_bytes_, max_low_watermark) : 1);
    if (socket_low_watermark_ > 1) {
      got = co_await with_timeout(transport_->socket.async_read_some(buffer, use_tuple),
                                  low_watermark_wait);
      if (!got) set_low_watermark(1);
    }
    if (!got) {
      got = co_await with_timeout(transport_->socket.async_read_some(buffer, use_tuple),
                                  read_timeout_);
    }
  }
  if (got && !std::get<0>(*got)) {
    std::size_t n = std::get<1>(*got);
    expected_bytes_ = expected_bytes_ > n ? expected_bytes_ - n : 0;
  }
  if (!got) {
    co_return fail(make_error(errc::timed_out, "no data from server {} for {} ms", server_name_,
                              read_timeout_.count()));
  }
  auto [ec, n] = *got;
  if (ec == asio::error::eof || ec == asio::ssl::error::stream_truncated ||
      ec == asio::error::connection_reset) {
    co_return fail(make_error(errc::closed, "server {} closed the connection", server_name_));
  }
  if (ec) {
    co_return fail(
        make_error(errc::io_error, "cannot read from {}: {}", server_name_, ec.message()));
  }
  co_return n;
}

}  // namespace binrelay::protocol
