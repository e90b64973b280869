#include "relay/replica_session.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/log.h"
#include "protocol/binlog_stream.h"
#include "protocol/replication_commands.h"
#include "protocol/server_errors.h"
#include "relay/binlog_sender.h"

namespace binrelay::relay {
namespace asio = boost::asio;
namespace {

constexpr std::uint8_t com_query = 0x03;
constexpr std::uint8_t com_init_db = 0x02;
constexpr std::uint8_t com_ping = 0x0E;
constexpr std::uint8_t com_binlog_dump = 0x12;
constexpr std::uint8_t com_register_slave = 0x15;
constexpr std::uint8_t com_binlog_dump_gtid = 0x1E;

using clock = std::chrono::steady_clock;

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

struct dump_command {
  dump_request request;
  std::uint16_t flags = 0;
};

result<dump_command> parse_dump(const std::vector<std::uint8_t>& payload, const replica_queries& q) {
  dump_command d;
  if (payload[0] == com_binlog_dump_gtid) {
    auto cmd = protocol::parse_binlog_dump_gtid(payload);
    if (!cmd) return std::move(cmd).error();
    auto set = gtid::gtid_set::decode_binary(cmd->gtid_set);
    if (!set) return std::move(set).error();
    d.flags = cmd->flags;
    d.request.how = dump_request::mode::mysql_gtid;
    d.request.mysql_gtids = std::move(*set);
    return d;
  }
  auto cmd = protocol::parse_binlog_dump(payload);
  if (!cmd) return std::move(cmd).error();
  d.flags = cmd->flags;
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

asio::awaitable<void> stream(protocol::server_connection& c, const relay_store& store,
                             const serve_options& options, const dump_command& dump,
                             std::chrono::milliseconds heartbeat) {
  sender_options so{options.identity.server_id,
                    (dump.flags & protocol::dump_flag::heartbeat_v2) != 0 &&
                        dump.request.how == dump_request::mode::mysql_gtid};
  auto sender = binlog_sender::start(store, dump.request, so);
  if (!sender) {
    log::warn("replica {}: dump refused: {}", c.session().peer_host, sender.error().message);
    auto err = stream_error(sender.error());
    co_await c.send_err(err);
    co_return;
  }
  asio::steady_timer timer(co_await asio::this_coro::executor);
  auto last_sent = clock::now();
  std::vector<std::vector<std::uint8_t>> events;
  std::vector<std::vector<std::uint8_t>> payloads;
  for (;;) {
    events.clear();
    auto n = sender->next_events(events, std::size_t(1) << 20);
    if (!n) {
      auto err = stream_error(n.error());
      co_await c.send_err(err);
      co_return;
    }
    if (*n > 0) {
      payloads.clear();
      for (const auto& e : events) payloads.push_back(protocol::build_stream_event(e));
      auto sent = co_await c.send_packets(payloads);
      if (!sent) co_return;
      last_sent = clock::now();
      continue;
    }
    if (dump.flags & protocol::dump_flag::non_block) {
      const std::vector<std::uint8_t> eof{0xFE, 0, 0, 0x02, 0};
      co_await c.send_raw_packet(eof);
      co_return;
    }
    if (heartbeat.count() > 0 && clock::now() - last_sent >= heartbeat) {
      auto hb = protocol::build_stream_event(sender->heartbeat());
      auto sent = co_await c.send_raw_packet(hb);
      if (!sent) co_return;
      last_sent = clock::now();
    }
    boost::system::error_code ec;
    timer.expires_after(options.poll_interval);
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (ec || !c.is_open()) co_return;
  }
}

asio::awaitable<bool> answer_query(protocol::server_connection& c, replica_queries& q,
                                   const std::vector<std::uint8_t>& payload) {
  std::string_view sql(reinterpret_cast<const char*>(payload.data()) + 1, payload.size() - 1);
  query_answer a = q.answer(sql);
  if (auto* err = std::get_if<protocol::err_packet>(&a)) {
    log::debug("replica {}: '{}' refused: {}", c.session().peer_host, sql, err->message);
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

}  // namespace

asio::awaitable<void> run_replica_session(protocol::server_connection& c, const relay_store& store,
                                          const serve_options& options) {
  replica_queries queries(store, options.identity);
  for (;;) {
    auto cmd = co_await c.read_command();
    if (!cmd) co_return;
    const std::vector<std::uint8_t>& payload = *cmd;
    if (payload.empty()) co_return;
    std::uint8_t code = payload[0];
    if (code == com_query) {
      bool ok = co_await answer_query(c, queries, payload);
      if (!ok) co_return;
    } else if (code == com_ping || code == com_init_db || code == com_register_slave) {
      auto r = co_await c.send_ok();
      if (!r) co_return;
    } else if (code == com_binlog_dump || code == com_binlog_dump_gtid) {
      auto dump = parse_dump(payload, queries);
      if (!dump) {
        auto err = protocol::make_err_packet(protocol::er::unknown_error, dump.error().message);
        co_await c.send_err(err);
        co_return;
      }
      log::info("replica {} (user {}) starts a binlog dump", c.session().peer_host, c.session().user);
      auto period = heartbeat_period(queries);
      co_await stream(c, store, options, *dump, period);
      co_return;
    } else {
      auto err = protocol::unknown_command();
      auto r = co_await c.send_err(err);
      if (!r) co_return;
    }
  }
}

}  // namespace binrelay::relay
