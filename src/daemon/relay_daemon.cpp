#include "daemon/relay_daemon.h"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <fstream>
#include <random>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "applier/applier.h"
#include "common/log.h"
#include "gtid/uuid.h"

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

result<void> write_file_durably(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return make_error(errc::io_error, "cannot create {}: {}", tmp.string(), std::strerror(errno));
  bool ok = ::write(fd, text.data(), text.size()) == ssize_t(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    return make_error(errc::io_error, "cannot write {}: {}", path.string(), std::strerror(errno));
  }
  return {};
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

// The applier on its own thread and io_context, so reading and converting the relay log
// never delays ingest.
class applier_thread {
 public:
  applier_thread(const applier::applier_config& config, const relay_store& store,
                 relay::applier_status& status)
      : applier_(io_.get_executor(), config, store, status) {
    asio::co_spawn(io_, applier_.run(), [](std::exception_ptr e) {
      if (e) std::rethrow_exception(e);
    });
    thread_ = std::thread([this] { io_.run(); });
  }
  ~applier_thread() {
    applier_.stop();
    thread_.join();
  }
  applier::applier& get() { return applier_; }

 private:
  asio::io_context io_;
  applier::applier applier_;
  std::thread thread_;
};

result<void> run_daemon(const daemon_config& config) {
  auto store = relay_store::open(config.store);
  if (!store) return std::move(store).error();
  auto files = (*store)->files();
  log::info("relay log {} ready: {} file(s), retrieved GTIDs '{}'",
            (config.store.directory / config.store.basename).string(), files.size(),
            (*store)->retrieved().to_string());

  relay::applier_status apply_status;
  std::optional<applier_thread> apply;
  if (config.apply) apply.emplace(*config.apply, **store, apply_status);
  asio::io_context io;
  upstream_status status;
  upstream_session session(io.get_executor(), config.upstream, **store, status);
  asio::signal_set signals(io, SIGTERM, SIGINT);
  signals.async_wait([&](const boost::system::error_code& ec, int signo) {
    if (ec) return;
    log::info("received signal {}; stopping", signo);
    session.stop();
  });
  asio::co_spawn(io, session.run(), [&](std::exception_ptr e) {
    signals.cancel();
    if (e) std::rethrow_exception(e);
  });
  io.run();
  apply.reset();
  auto flushed = (*store)->flush();
  if (!flushed) return std::move(flushed).error();
  log::info("relay log flushed; retrieved GTIDs '{}'; bye", (*store)->retrieved().to_string());
  return {};
}

}  // namespace binrelay::daemon
