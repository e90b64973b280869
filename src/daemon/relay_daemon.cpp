#include "daemon/relay_daemon.h"

#include <unistd.h>

#include <array>
#include <csignal>
#include <cstring>
#include <fstream>
#include <optional>
#include <random>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>

#include "admin/server_status.h"
#include "admin/session.h"
#include "common/counters.h"
#include "common/log.h"
#include "daemon/admin_live_state.h"
#include "daemon/applier_thread.h"
#include "daemon/daemon_signals.h"
#include "daemon/pid_file.h"
#include "daemon/progress_lines.h"
#include "daemon/relay_log_name.h"
#include "daemon/service_manager.h"
#include "daemon/serving_tls.h"
#include "daemon/source_version.h"
#include "daemon/stop_deadline.h"
#include "gtid/uuid.h"
#include "relay/data_dir_lock.h"
#include "relay/source_settings.h"

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

// The admin role's handler: a session's I/O stays on its connection's executor; its commands
// are answered on the daemon's main executor, where live_admin_state lives.
protocol::connection_handler admin_handler(asio::any_io_executor main, live_admin_state& state) {
  return [main, &state](protocol::server_connection& c) -> asio::awaitable<void> {
    co_await run_admin_session(c, state, main);
  };
}

std::vector<admin::replica_info> listed_replicas(const relay::replica_registry& registry,
                                                 const relay::relay_store& store,
                                                 std::uint32_t our_id) {
  std::vector<admin::replica_info> out;
  relay::log_position end = store.end_position();
  std::uint32_t end_timestamp = store.end_timestamp();
  for (const auto& r : registry.snapshot()) {
    auto lag = relay::replica_lag_seconds(r, end, end_timestamp);
    out.push_back({r.server_id, r.host, r.port, our_id, r.uuid, r.position.file, r.position.offset,
                   lag.value_or(-1), r.connection_id});
  }
  return out;
}

// START/STOP SLAVE SQL_THREAD and the SQL thread's columns of SHOW SLAVE STATUS.
applier_hooks hooks_for(applier_thread& apply, const applier::applier_status& status) {
  applier_hooks h;
  h.status = &status;
  h.start = [&apply]() -> result<void> {
    apply.get().start();
    return {};
  };
  h.stop = [&apply]() -> result<void> {
    apply.get().pause();
    return {};
  };
  h.skip = [&apply](std::string gtid) -> result<void> {
    apply.get().skip(std::move(gtid));
    return {};
  };
  return h;
}

// config.store with the relay log's name chosen when none was given (relay_log_name.h), and a
// retention that keeps the files replicas still read.
result<relay::store_options> store_options_for(const daemon_config& config,
                                               const relay::replica_registry& registry) {
  relay::store_options options = config.store;
  if (options.basename.empty()) {
    auto name = find_relay_log_name(config.store.directory);
    if (!name) return std::move(name).error();
    options.basename = *name;
    if (*name != default_relay_log_name)
      log::info("relay log name '{}' from its index file", *name);
  }
  options.file_in_use = [&registry](std::string_view file) {
    auto oldest = registry.oldest_file_in_use();
    return oldest && file >= *oldest;
  };
  return options;
}

std::string ready_status(const relay::relay_store& store) {
  return fmt::format("relay log {} file(s), retrieved GTIDs '{}'", store.files().size(),
                     store.retrieved().to_string());
}

}  // namespace

result<void> run_daemon(const daemon_config& config) {
  (void)counters();              // Uptime counts from here
  std::signal(SIGHUP, SIG_IGN);  // until daemon_signals catches it: never a reason to end
  auto lock = relay::data_dir_lock::acquire(config.store.directory, "binrelayd");
  if (!lock) return std::move(lock).error();
  std::optional<pid_file> pid;
  if (!config.pid_file.empty()) {
    auto written = pid_file::write(config.pid_file);
    if (!written) return std::move(written).error();
    pid.emplace(std::move(*written));
  }
  // Bounds everything from the termination signal to the end, destructors included.
  stop_deadline deadline(config.stop_timeout, [path = config.pid_file] {
    if (!path.empty()) ::unlink(path.c_str());
  });
  relay::replica_registry registry;
  auto store_options = store_options_for(config, registry);
  if (!store_options) return std::move(store_options).error();
  auto store = relay_store::open(*store_options);
  if (!store) return std::move(store).error();
  log::info("relay log {} ready: {} file(s), retrieved GTIDs '{}'",
            (config.store.directory / store_options->basename).string(), (*store)->files().size(),
            (*store)->retrieved().to_string());

  // Wakes idle replicas and the applier when the store publishes; set before the writer starts,
  // cleared after it stopped (end of run_daemon).
  relay::log_end_signal end_signal;
  (*store)->set_on_end_change([&end_signal](const relay::log_position&) { end_signal.notify(); });
  applier::applier_status apply_status;
  std::optional<applier_thread> apply;
  if (config.apply) apply.emplace(*config.apply, **store, end_signal, apply_status);
  asio::io_context io;
  upstream_status status;
  source_version version(config.store.directory);
  relay::upstream_config upstream = config.upstream;
  upstream.on_connected = [&version](const protocol::replication_session_info& info) {
    version.remember(info.server_version);
  };
  relay::serve_identity identity{config.upstream.server_id, config.upstream.server_uuid};
  if (config.serving) identity = config.serving->identity;
  identity.upstream_version = [&version] { return version.get(); };
  live_admin_state state(io.get_executor(), **store, status, upstream, config.store.directory,
                         identity);
  if (auto loaded = state.load(); !loaded) return std::move(loaded).error();
  state.set_replicas([&registry, &s = **store, id = identity.server_id] {
    return listed_replicas(registry, s, id);
  });
  if (apply) state.set_applier(hooks_for(*apply, apply_status));
  // Admin sessions are answered on main (admin_handler): main runs until serving has drained.
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> serving_work;
  std::optional<serving> server;
  if (config.serving) {
    serving_config serving_with_version = *config.serving;
    serving_with_version.identity = identity;
    serving_with_version.server.first_connection_id = admin::first_connection_id;
    use_generated_tls_files(serving_with_version.server, config.store.directory,
                            serving_with_version.generated_tls);
    server.emplace(std::move(serving_with_version), **store, registry, end_signal,
                   admin_handler(io.get_executor(), state));
    serving_work.emplace(io.get_executor());
    server->start(
        [&io, &serving_work] { asio::post(io, [&serving_work] { serving_work.reset(); }); });
    state.set_server_variables(
        {{"port", std::to_string(server->port())},
         {"bind_address", config.serving->listen.address},
         {"max_connections", std::to_string(config.serving->listen.max_connections)}});
  }
  service_manager service(io.get_executor());
  progress_lines progress(io.get_executor(), config.progress_interval, **store, registry,
                          apply ? &apply_status : nullptr);
  std::optional<daemon_signals> signals;
  // A termination signal and the admin's SHUTDOWN (COM_SHUTDOWN) stop alike.
  auto stop = [&] {
    deadline.arm();
    service.stopping("stopping");
    signals->stop_waiting();
    progress.stop();
    state.shutdown();
    if (server) server->request_stop();
  };
  signals.emplace(io, **store, config.live, config.reload, config.log_file, stop);
  signals->start();
  state.set_kill([&registry, &server](std::uint32_t id) {
    return registry.close_connection(id) || (server && server->close_connection(id));
  });
  state.set_shutdown(stop);
  std::optional<metrics_server> metrics;
  if (config.metrics) {
    metrics.emplace(*config.metrics, io.get_executor(), state);
    (void)metrics->start();  // a failure is logged; binrelayd runs on without /metrics
  }
  if (auto started = state.start_configured_io(); !started)
    log::info("IO thread not started: {}", started.error().message);
  progress.start();
  service.ready(ready_status(**store));
  io.run();
  if (metrics) metrics->stop();
  if (server) server->stop();
  (*store)->set_on_end_change({});
  auto flushed = (*store)->flush();
  if (!flushed) return std::move(flushed).error();
  log::info("relay log flushed; retrieved GTIDs '{}'; bye", (*store)->retrieved().to_string());
  return {};
}

}  // namespace binrelay::daemon
