#include "daemon/relay_daemon.h"

#include <array>
#include <cstring>
#include <fstream>
#include <random>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "common/log.h"
#include "daemon/admin_live_state.h"
#include "daemon/admin_session.h"
#include "daemon/source_settings.h"
#include "gtid/uuid.h"
#include "protocol/server_listener.h"

namespace binrelay::daemon {
namespace asio = boost::asio;
using relay::relay_store;
using relay::upstream_session;
using relay::upstream_status;

namespace {

std::string random_uuid() {
  std::random_device rd;
  std::array<std::uint8_t, 16> b{};
  for (auto& x : b) x = static_cast<std::uint8_t>(rd());
  b[6] = (b[6] & 0x0F) | 0x40;  // version 4
  b[8] = (b[8] & 0x3F) | 0x80;  // RFC 4122 variant
  return gtid::uuid::from_bytes(b).to_string();
}

}  // namespace

result<std::string> load_or_create_server_uuid(const std::filesystem::path& data_dir,
                                               const std::string& configured) {
  if (!configured.empty()) {
    auto u = gtid::uuid::parse(configured);
    if (!u) return make_error(errc::invalid_argument, "--server-uuid: {}", u.error().message);
    return u->to_string();
  }
  std::filesystem::path path = data_dir / "server-uuid";
  std::ifstream in(path);
  std::string text;
  if (in && std::getline(in, text)) {
    auto u = gtid::uuid::parse(text);
    if (!u) return make_error(errc::corrupt, "{}: {}", path.string(), u.error().message);
    return u->to_string();
  }
  std::string fresh = random_uuid();
  auto w = write_file_durably(path, fresh + "\n");
  if (!w) return std::move(w).error();
  log::info("generated server uuid {} (saved in {})", fresh, path.string());
  return fresh;
}

namespace {

protocol::listener_options listen_address(const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos)
    throw std::runtime_error("--listen: expected HOST:PORT, got " + text);
  int port = std::stoi(text.substr(colon + 1));
  if (port < 0 || port > 65535) throw std::runtime_error("--listen: bad port in " + text);
  protocol::listener_options o;
  o.address = text.substr(0, colon);
  o.port = static_cast<std::uint16_t>(port);
  return o;
}

protocol::server_options admin_server_options(const daemon_config& config,
                                              const relay::serve_identity& identity) {
  protocol::server_options o;
  o.server_version = identity.version;
  o.default_auth_plugin = "mysql_native_password";
  o.accounts = {{config.admin.user, config.admin.password, "mysql_native_password"}};
  return o;
}

// The listener and what it needs, while --listen is given.
struct admin_port {
  protocol::server_context context;
  protocol::server_listener listener;
  admin_port(asio::io_context& io, const daemon_config& config, const relay::serve_identity& id,
             live_admin_state& state)
      : context(admin_server_options(config, id)),
        listener(io.get_executor(), listen_address(config.admin.listen), context,
                 [&state](protocol::server_connection& c) { return run_admin_session(c, state); }) {
  }
};

}  // namespace

result<void> run_daemon(const daemon_config& config) {
  auto store = relay_store::open(config.store);
  if (!store) return std::move(store).error();
  auto files = (*store)->files();
  log::info("relay log {} ready: {} file(s), retrieved GTIDs '{}'",
            (config.store.directory / config.store.basename).string(), files.size(),
            (*store)->retrieved().to_string());

  asio::io_context io;
  upstream_status status;
  relay::serve_identity identity{config.upstream.server_id, config.upstream.server_uuid};
  live_admin_state state(io.get_executor(), **store, status, config.upstream,
                         config.store.directory, identity);
  if (auto loaded = state.load(); !loaded) return std::move(loaded).error();
  std::unique_ptr<admin_port> admin;
  if (!config.admin.listen.empty()) {
    admin = std::make_unique<admin_port>(io, config, identity, state);
    log::info("admin port listening on {}:{} (user '{}')",
              listen_address(config.admin.listen).address, admin->listener.port(),
              config.admin.user);
    asio::co_spawn(io, admin->listener.run(), asio::detached);
  }
  asio::signal_set signals(io, SIGTERM, SIGINT);
  signals.async_wait([&](const boost::system::error_code& ec, int signo) {
    if (ec) return;
    log::info("received signal {}; stopping", signo);
    state.shutdown();
    if (admin) admin->listener.stop();
  });
  if (auto started = state.start_io(); !started)
    log::warn("IO thread not started: {}", started.error().message);
  io.run();
  auto flushed = (*store)->flush();
  if (!flushed) return std::move(flushed).error();
  log::info("relay log flushed; retrieved GTIDs '{}'; bye", (*store)->retrieved().to_string());
  return {};
}

}  // namespace binrelay::daemon
