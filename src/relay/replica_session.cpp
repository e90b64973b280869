#include "relay/replica_session.h"

#include <algorithm>
#include <cctype>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/counters.h"
#include "common/log.h"
#include "common/log_text.h"
#include "protocol/binlog_stream.h"
#include "protocol/constants.h"
#include "protocol/replication_commands.h"
#include "protocol/response_packets.h"
#include "protocol/server_errors.h"
#include "relay/binlog_sender.h"
#include "relay/stream_batch.h"

namespace binrelay::relay {
namespace asio = boost::asio;
namespace {

using protocol::command;

using clock = std::chrono::steady_clock;
// Longest wait without looking at the store and the connection (with an end signal).
constexpr std::chrono::milliseconds max_idle_wait{1000};

protocol::err_packet stream_error(const binrelay::error& e) {
  if (e.server_errno != 0) return protocol::to_err_packet(e);
  return protocol::make_err_packet(protocol::er::master_fatal_reading_binlog, e.message);
}

// The heartbeat period the replica asked for; zero: none.
std::chrono::milliseconds heartbeat_period(const replica_queries& q) {
  auto ns = q.user_variable("master_heartbeat_period");
  if (!ns) ns = q.user_variable("source_heartbeat_period");
  if (!ns) return std::chrono::milliseconds(0);
  try {
    return std::chrono::milliseconds(std::stoull(*ns) / 1'000'000);
  } catch (const std::exception&) {
    return std::chrono::milliseconds(0);
  }
}

// Whether the replica SET @master_binlog_checksum / @source_binlog_checksum to CRC32.
bool checksum_aware(const replica_queries& q) {
  auto v = q.user_variable("master_binlog_checksum");
  if (!v) v = q.user_variable("source_binlog_checksum");
  if (!v) return false;
  std::string upper;
  for (char ch : *v)
    upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(ch))));
  return upper == "CRC32";
}

struct dump_command {
  dump_request request;
  std::uint16_t flags = 0;
  std::uint32_t server_id = 0;
};

result<dump_command> parse_dump(const std::vector<std::uint8_t>& payload,
                                const replica_queries& q) {
  dump_command d;
  if (command(payload[0]) == command::binlog_dump_gtid) {
    auto cmd = protocol::parse_binlog_dump_gtid(payload);
    if (!cmd) return std::move(cmd).error();
    auto set = gtid::gtid_set::decode_binary(cmd->gtid_set);
    if (!set) return std::move(set).error();
    d.flags = cmd->flags;
    d.server_id = cmd->server_id;
    d.request.how = dump_request::mode::mysql_gtid;
    d.request.mysql_gtids = std::move(*set);
    return d;
  }
  auto cmd = protocol::parse_binlog_dump(payload);
  if (!cmd) return std::move(cmd).error();
  d.flags = cmd->flags;
  d.server_id = cmd->server_id;
  d.request.file = cmd->file_name;
  d.request.position = cmd->position;
  if (auto state = q.user_variable("slave_connect_state")) {
    auto pos = gtid::mariadb_gtid_position::parse(*state);
    if (!pos) return std::move(pos).error();
    d.request.how = dump_request::mode::mariadb_gtid;
    d.request.mariadb_gtids = std::move(*pos);
  }
  return d;
}

// One connection's state: its queries, its registry entry and how the registry closes it.
class session {
 public:
  session(protocol::server_connection& c, const relay_store& store, const serve_options& options)
      : c_(c),
        store_(store),
        options_(options),
        queries_(store, options.identity),
        alive_(std::make_shared<protocol::server_connection*>(&c)) {}
  ~session() {
    if (options_.registry && ticket_) options_.registry->unregister(*ticket_);
  }
  session(const session&) = delete;
  session& operator=(const session&) = delete;

  asio::awaitable<void> run();

 private:
  asio::awaitable<bool> register_slave(const std::vector<std::uint8_t>& payload);
  asio::awaitable<void> dump(const std::vector<std::uint8_t>& payload);
  asio::awaitable<void> stream(const dump_command& dump, std::chrono::milliseconds heartbeat);
  // A relay that has not fetched anything yet has no file: the dump waits for the first one.
  asio::awaitable<bool> wait_for_first_file(asio::steady_timer& timer);
  // Waits for the relay log to grow (at most `max`) unless it grew since the end signal's
  // generation `seen`, or polls once without an end signal. False when the connection closed
  // or the session was cancelled.
  asio::awaitable<bool> idle_wait(asio::steady_timer& timer, std::chrono::milliseconds max,
                                  std::uint64_t seen);
  // The end signal's generation (0 without one): read before looking at the store.
  std::uint64_t end_generation() const;
  asio::awaitable<bool> send_batch(binlog_sender& sender, const stream_batch& batch);
  void register_replica(std::uint32_t server_id, std::string host, std::uint16_t port);

  protocol::server_connection& c_;
  const relay_store& store_;
  const serve_options& options_;
  replica_queries queries_;
  std::shared_ptr<protocol::server_connection*> alive_;  // the registry's close() checks it
  std::optional<replica_registry::ticket> ticket_;
  std::uint64_t bytes_sent_ = 0;
  asio::any_io_executor executor_;
};

void session::register_replica(std::uint32_t server_id, std::string host, std::uint16_t port) {
  if (!options_.registry || server_id == 0) return;
  if (ticket_) options_.registry->unregister(*ticket_);
  replica_info info;
  info.server_id = server_id;
  info.host = host.empty() ? c_.session().peer_host : std::move(host);
  info.port = port;
  info.user = c_.session().user;
  info.uuid = queries_.user_variable("slave_uuid")
                  .value_or(queries_.user_variable("replica_uuid").value_or(""));
  info.connection_id = c_.session().connection_id;
  info.connected_at = std::chrono::system_clock::now();
  auto close = [ex = executor_, weak = std::weak_ptr(alive_), server_id] {
    asio::post(ex, [weak, server_id] {
      if (auto alive = weak.lock()) {
        log::warn(
            "replica with server_id {} replaced by a newer connection with the same id; "
            "closing connection {}",
            server_id, (*alive)->session().connection_id);
        (*alive)->close();
      }
    });
  };
  ticket_ = options_.registry->register_replica(std::move(info), std::move(close));
}

asio::awaitable<bool> session::register_slave(const std::vector<std::uint8_t>& payload) {
  auto r = protocol::parse_register_slave(payload);
  if (!r) {
    auto err = protocol::make_err_packet(protocol::er::unknown_error, r.error().message);
    (void)co_await c_.send_err(err);
    co_return false;
  }
  register_replica(r->server_id, r->host, r->port);
  auto ok = co_await c_.send_ok();
  co_return bool(ok);
}

asio::awaitable<void> session::dump(const std::vector<std::uint8_t>& payload) {
  auto d = parse_dump(payload, queries_);
  if (!d) {
    auto err = protocol::make_err_packet(protocol::er::unknown_error, d.error().message);
    (void)co_await c_.send_err(err);
    co_return;
  }
  if (!ticket_) register_replica(d->server_id, "", 0);
  log::info("replica {} (user {}, server_id {}) starts a binlog dump", c_.session().peer_host,
            printable(c_.session().user), d->server_id);
  co_await stream(*d, heartbeat_period(queries_));
}

asio::awaitable<bool> session::send_batch(binlog_sender& sender, const stream_batch& batch) {
  bytes_sent_ += batch.event_bytes();
  process_counters::add(counters().bytes_sent, batch.event_bytes());
  process_counters::add(counters().events_sent, batch.event_count());
  auto sent = co_await c_.send_frames(batch.frames(), batch.next_sequence());
  if (options_.registry && ticket_) {
    options_.registry->update_progress(*ticket_, sender.position(), sender.last_gtid(), bytes_sent_,
                                       batch.last_timestamp());
  }
  co_return bool(sent);
}

std::uint64_t session::end_generation() const {
  return options_.end_signal ? options_.end_signal->generation() : 0;
}

asio::awaitable<bool> session::idle_wait(asio::steady_timer& timer, std::chrono::milliseconds max,
                                         std::uint64_t seen) {
  if (options_.end_signal) {
    std::chrono::milliseconds bounded = max;
    if (bounded > max_idle_wait) bounded = max_idle_wait;
    if (bounded.count() < 1) bounded = std::chrono::milliseconds(1);
    co_await options_.end_signal->wait(bounded, seen);
  } else {
    boost::system::error_code ec;
    timer.expires_after(options_.poll_interval);
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  co_return c_.is_open();
}

asio::awaitable<bool> session::wait_for_first_file(asio::steady_timer& timer) {
  for (;;) {
    std::uint64_t seen = end_generation();
    if (!store_.files().empty()) co_return true;
    bool open = co_await idle_wait(timer, max_idle_wait, seen);
    if (!open) co_return false;
  }
}

asio::awaitable<void> session::stream(const dump_command& dump,
                                      std::chrono::milliseconds heartbeat) {
  sender_options so;
  so.server_id = options_.identity.server_id;
  so.heartbeat_v2 = (dump.flags & protocol::dump_flag::heartbeat_v2) != 0 &&
                    dump.request.how == dump_request::mode::mysql_gtid;
  so.replica_checksum_aware = checksum_aware(queries_);
  asio::steady_timer timer(co_await asio::this_coro::executor);
  if (!co_await wait_for_first_file(timer)) co_return;
  auto sender = binlog_sender::start(store_, dump.request, so);
  if (!sender) {
    log::warn("replica {}: dump refused: {}", c_.session().peer_host,
              printable(sender.error().message, max_logged_sql));
    (void)co_await c_.send_err(stream_error(sender.error()));
    co_return;
  }
  auto last_sent = clock::now();
  stream_batch batch;
  for (;;) {
    std::uint64_t seen = end_generation();
    batch.reset(c_.next_sequence());
    auto n = sender->next_events(batch, options_.max_batch_bytes);
    if (!n) {
      log::warn("replica {}: dump stopped: {}", c_.session().peer_host,
                printable(n.error().message, max_logged_sql));
      (void)co_await c_.send_err(stream_error(n.error()));
      co_return;
    }
    if (*n > 0) {
      if (!co_await send_batch(*sender, batch)) co_return;
      last_sent = clock::now();
      continue;
    }
    if (dump.flags & protocol::dump_flag::non_block) {
      auto eof = protocol::build_eof_packet({0, protocol::status::autocommit});
      (void)co_await c_.send_raw_packet(eof);
      co_return;
    }
    if (heartbeat.count() > 0 && clock::now() - last_sent >= heartbeat) {
      auto hb = protocol::build_stream_event(sender->heartbeat());
      if (!co_await c_.send_raw_packet(hb)) co_return;
      last_sent = clock::now();
    }
    std::chrono::milliseconds wait_ms = max_idle_wait;
    if (heartbeat.count() > 0) {
      wait_ms = heartbeat -
                std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - last_sent);
    }
    bool open = co_await idle_wait(timer, wait_ms, seen);
    if (!open) co_return;
  }
}

asio::awaitable<bool> answer_query(protocol::server_connection& c, replica_queries& q,
                                   const std::vector<std::uint8_t>& payload) {
  std::string_view sql(reinterpret_cast<const char*>(payload.data()) + 1, payload.size() - 1);
  query_answer a = q.answer(sql);
  if (auto* err = std::get_if<protocol::err_packet>(&a)) {
    log::debug("replica {}: '{}' refused: {}", c.session().peer_host,
               printable(sql, max_logged_sql), printable(err->message, max_logged_sql));
    auto r = co_await c.send_err(*err);
    co_return bool(r);
  }
  auto& answer = std::get<protocol::query_result>(a);
  if (!answer.is_result_set()) {
    auto r = co_await c.send_ok(answer.ok);
    co_return bool(r);
  }
  auto r = co_await c.send_result_set(answer);
  co_return bool(r);
}

asio::awaitable<void> session::run() {
  executor_ = co_await asio::this_coro::executor;
  for (;;) {
    auto cmd = co_await c_.read_command();
    if (!cmd || cmd->empty()) co_return;
    const std::vector<std::uint8_t>& payload = *cmd;
    auto code = command(payload[0]);
    bool go_on = true;
    if (code == command::query) {
      go_on = co_await answer_query(c_, queries_, payload);
    } else if (code == command::register_slave) {
      go_on = co_await register_slave(payload);
    } else if (code == command::ping || code == command::init_db) {
      go_on = bool(co_await c_.send_ok());
    } else if (code == command::binlog_dump || code == command::binlog_dump_gtid) {
      co_await dump(payload);
      co_return;
    } else {
      go_on = bool(co_await c_.send_err(protocol::unknown_command()));
    }
    if (!go_on) co_return;
  }
}

}  // namespace

asio::awaitable<void> run_replica_session(protocol::server_connection& c, const relay_store& store,
                                          const serve_options& options) {
  session s(c, store, options);
  co_await s.run();
}

}  // namespace binrelay::relay
