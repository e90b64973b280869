#include "daemon/metrics_server.h"

#include <charconv>
#include <ctime>
#include <future>
#include <memory>
#include <optional>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include "admin/metrics_text.h"
#include "common/log.h"

namespace binrelay::daemon {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

http::response<http::string_body> reply(const http::request<http::string_body>& req,
                                        http::status status, std::string body,
                                        std::string_view type) {
  http::response<http::string_body> res{status, req.version()};
  res.set(http::field::server, "binrelayd");
  res.set(http::field::content_type, type);
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

// Reads the daemon's state on its main executor, where admin_state lives. Blocks this (the
// metrics) thread only: at most 5 s, e.g. while binrelayd shuts down and main runs no more.
std::optional<std::string> read_metrics(asio::any_io_executor main,
                                        const admin::admin_state& state) {
  auto promise = std::make_shared<std::promise<std::string>>();
  auto text = promise->get_future();
  asio::post(main, [promise, &state] {
    promise->set_value(admin::metrics_text(state, static_cast<std::int64_t>(std::time(nullptr))));
  });
  if (text.wait_for(std::chrono::seconds(5)) != std::future_status::ready) return std::nullopt;
  try {
    return text.get();
  } catch (const std::future_error&) {
    return std::nullopt;  // main dropped the request (shutting down)
  }
}

// One HTTP connection: requests until the client closes, 30 s idle at most.
asio::awaitable<void> serve(tcp::socket socket, asio::any_io_executor main,
                            const admin::admin_state& state) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  while (true) {
    http::request<http::string_body> req;
    stream.expires_after(std::chrono::seconds(30));
    auto [ec, n] = co_await http::async_read(stream, buffer, req, use_tuple);
    if (ec) break;
    http::response<http::string_body> res;
    if (req.method() != http::verb::get && req.method() != http::verb::head) {
      res = reply(req, http::status::method_not_allowed, "GET /metrics\n", "text/plain");
    } else if (req.target() == "/metrics" || req.target().starts_with("/metrics?")) {
      auto text = read_metrics(main, state);
      res =
          text ? reply(req, http::status::ok, std::move(*text),
                       "text/plain; version=0.0.4; charset=utf-8")
               : reply(req, http::status::service_unavailable, "binrelayd is busy\n", "text/plain");
    } else {
      res = reply(req, http::status::not_found, "binrelayd serves /metrics\n", "text/plain");
    }
    bool keep = res.keep_alive();
    auto [wec, written] = co_await http::async_write(stream, res, use_tuple);
    if (wec || !keep) break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
}

asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, asio::any_io_executor main,
                                  const admin::admin_state& state) {
  while (acceptor.is_open()) {
    auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
    if (ec == asio::error::operation_aborted) co_return;
    if (ec) {
      log::warn("metrics: accept failed: {}", ec.message());
      continue;
    }
    asio::co_spawn(acceptor.get_executor(), serve(std::move(socket), main, state),
                   [](std::exception_ptr e) {
                     if (e) log::warn("metrics: connection failed: {}", describe_exception(e));
                   });
  }
}

}  // namespace

result<metrics_endpoint> parse_metrics_endpoint(const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos) {
    return make_error(errc::invalid_argument, "--metrics-listen '{}': expected HOST:PORT", text);
  }
  metrics_endpoint e;
  e.host = colon == 0 ? "0.0.0.0" : text.substr(0, colon);
  if (e.host.size() > 2 && e.host.front() == '[' && e.host.back() == ']')
    e.host = e.host.substr(1, e.host.size() - 2);
  const char* first = text.data() + colon + 1;
  const char* last = text.data() + text.size();
  auto [p, ec] = std::from_chars(first, last, e.port);
  if (ec != std::errc() || p != last || first == last) {
    return make_error(errc::invalid_argument, "--metrics-listen '{}': '{}' is not a port", text,
                      std::string(first, last));
  }
  return e;
}

metrics_server::metrics_server(metrics_endpoint endpoint, asio::any_io_executor main,
                               const admin::admin_state& state)
    : endpoint_(std::move(endpoint)), main_(std::move(main)), state_(state) {}

metrics_server::~metrics_server() {
  stop();
}

result<void> metrics_server::start() {
  auto acceptor = std::make_shared<tcp::acceptor>(io_);
  boost::system::error_code ec;
  auto address = asio::ip::make_address(endpoint_.host, ec);
  tcp::endpoint at(address, endpoint_.port);
  if (!ec) acceptor->open(at.protocol(), ec);
  if (!ec) acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor->bind(at, ec);
  if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    auto e = make_error(errc::io_error, "metrics endpoint {}:{}: {}", endpoint_.host,
                        endpoint_.port, ec.message());
    log::error("{}; binrelayd runs on without /metrics", e.message);
    return e;
  }
  bound_port_ = acceptor->local_endpoint().port();
  asio::co_spawn(io_, accept_loop(*acceptor, main_, state_), [acceptor](std::exception_ptr e) {
    if (e) log::error("metrics: listener failed: {}", describe_exception(e));
  });
  thread_ = std::thread([this] { io_.run(); });
  log::info("metrics at http://{}:{}/metrics", endpoint_.host, bound_port_);
  return {};
}

void metrics_server::stop() {
  if (!thread_.joinable()) return;
  io_.stop();
  thread_.join();
}

}  // namespace binrelay::daemon
