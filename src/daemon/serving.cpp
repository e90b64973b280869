#include "daemon/serving.h"

#include <fmt/format.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>

#include "common/log.h"

namespace binrelay::daemon {
namespace asio = boost::asio;

protocol::connection_handler make_role_dispatch(std::string repl_user,
                                                protocol::connection_handler replica,
                                                protocol::connection_handler admin) {
  return [repl_user = std::move(repl_user), replica = std::move(replica),
          admin = std::move(admin)](protocol::server_connection& c) -> asio::awaitable<void> {
    if (c.session().user == repl_user || !admin) return replica(c);
    return admin(c);
  };
}

namespace {

protocol::server_options with_version_provider(protocol::server_options o,
                                               const relay::relay_store& store,
                                               const relay::serve_identity& identity) {
  o.version_provider = [&store, identity] { return relay::served_version(store, identity, true); };
  return o;
}

// The admin users (every account but the replication user) may take the connection slot past
// --max-connections, so an operator can still log in when replicas fill the port.
serving_config with_reserved_slot(serving_config c) {
  for (const auto& a : c.server.accounts) {
    if (a.user != c.repl_user) c.listen.reserved_users.push_back(a.user);
  }
  return c;
}

}  // namespace

serving::serving(serving_config config, relay::relay_store& store,
                 relay::replica_registry& registry, relay::log_end_signal& end_signal,
                 protocol::connection_handler admin)
    : config_(with_reserved_slot(std::move(config))),
      store_(store),
      context_(with_version_provider(config_.server, store, config_.identity)) {
  serve_options_.identity = config_.identity;
  serve_options_.registry = &registry;
  serve_options_.end_signal = &end_signal;
  auto replica = [this](protocol::server_connection& c) {
    return relay::run_replica_session(c, store_, serve_options_);
  };
  std::vector<asio::any_io_executor> session_executors{io_.get_executor()};
  for (std::size_t i = 1; i < config_.threads; ++i) {
    workers_.push_back(std::make_unique<worker>());
    session_executors.push_back(workers_.back()->io.get_executor());
  }
  listener_ = std::make_unique<protocol::server_listener>(
      io_.get_executor(), config_.listen, context_,
      make_role_dispatch(config_.repl_user, replica, std::move(admin)),
      std::move(session_executors));
}

serving::~serving() {
  stop();
}

void serving::start(std::function<void()> on_drained) {
  asio::co_spawn(io_, listener_->run(), [on_drained = std::move(on_drained)](std::exception_ptr e) {
    if (e) log::error("serving port stopped: {}", describe_exception(e));
    if (on_drained) on_drained();
  });
  for (auto& w : workers_) w->thread = std::thread([&io = w->io] { io.run(); });
  thread_ = std::thread([this] { io_.run(); });
  std::string users;
  for (const auto& a : config_.server.accounts) {
    users += fmt::format("{}'{}' ({})", users.empty() ? "" : ", ", a.user,
                         a.user == config_.repl_user ? "replication" : "admin");
  }
  log::info("SQL port listening on {}:{} for {} ({} serving thread{})", config_.listen.address,
            port(), users, workers_.size() + 1, workers_.empty() ? "" : "s");
}

void serving::request_stop() {
  asio::post(io_, [this] { listener_->stop(); });
}

void serving::stop() {
  if (!thread_.joinable()) return;
  request_stop();
  thread_.join();  // the listener saw every connection end
  for (auto& w : workers_) {
    w->guard.reset();
    w->thread.join();
  }
}

}  // namespace binrelay::daemon
