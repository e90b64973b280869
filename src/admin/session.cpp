#include "admin/session.h"

#include <optional>
#include <variant>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "admin/handler.h"
#include "common/counters.h"
#include "common/log.h"
#include "protocol/constants.h"
#include "protocol/server_errors.h"

namespace binrelay::admin {
namespace asio = boost::asio;

namespace {

constexpr auto com_query = static_cast<std::uint8_t>(protocol::command::query);
constexpr auto com_ping = static_cast<std::uint8_t>(protocol::command::ping);
constexpr auto com_init_db = static_cast<std::uint8_t>(protocol::command::init_db);
// The commands mariadb-admin / mysqladmin send (MySQL's include/my_command.h).
constexpr std::uint8_t com_refresh = 0x07;  // flags byte: REFRESH_LOG (0x02) rotates
constexpr std::uint8_t com_shutdown = 0x08;
constexpr std::uint8_t com_statistics = 0x09;
constexpr std::uint8_t com_process_info = 0x0A;
constexpr std::uint8_t refresh_log = 0x02;

// Counts the open admin sessions for Threads_connected and /metrics.
struct session_count {
  session_count() { process_counters::add(counters().admin_sessions, 1); }
  ~session_count() { process_counters::subtract(counters().admin_sessions, 1); }
  session_count(const session_count&) = delete;
  session_count& operator=(const session_count&) = delete;
};

// The answer to a mariadb-admin command other than COM_QUERY; nullopt: not one of them.
std::optional<relay::query_answer> admin_command(admin_handler& handler, bytes_view command) {
  std::uint8_t code = command.empty() ? 0 : command[0];
  if (code == com_refresh) {
    bool rotate = command.size() > 1 && (command[1] & refresh_log) != 0;
    if (rotate) return handler.answer("FLUSH LOGS");
    protocol::query_result ok;  // nothing else binrelayd could refresh
    ok.ok.status_flags = 0x0002;
    return ok;
  }
  if (code == com_shutdown) return handler.answer("SHUTDOWN");
  if (code == com_process_info) return handler.answer("SHOW PROCESSLIST");
  return std::nullopt;
}

// What a command gets back: an answer (OK, ERR or a result set), or COM_STATISTICS' bare
// status line.
using reply = std::variant<relay::query_answer, std::string>;

reply answer_command(admin_handler& handler, const std::vector<std::uint8_t>& command) {
  std::uint8_t code = command.empty() ? 0 : command[0];
  if (code == com_query) {
    auto sql = protocol::parse_com_query(command);
    if (!sql) return protocol::to_err_packet(sql.error());
    return handler.answer(*sql);
  }
  if (code == com_ping || code == com_init_db) return protocol::query_result{};
  if (code == com_statistics) return handler.statistics();
  if (auto answer = admin_command(handler, command)) return std::move(*answer);
  return protocol::unknown_command();
}

// answer_command as a coroutine, to be spawned on the state's executor.
asio::awaitable<reply> answer_on_state(admin_handler& handler, std::vector<std::uint8_t> command) {
  co_return answer_command(handler, command);
}

asio::awaitable<void> shut_down_on_state(admin_state& state) {
  state.request_shutdown();
  co_return;
}

// Not cancellable: the work on the state's executor runs without suspending, and a stop's
// cancellation forwarded there could outlive it (asio posts it to that executor).
auto uncancellable() {
  return asio::bind_cancellation_slot(asio::cancellation_slot(), asio::use_awaitable);
}

asio::awaitable<result<void>> send_reply(protocol::server_connection& c, const reply& r) {
  if (const auto* line = std::get_if<std::string>(&r)) {
    co_return co_await c.send_raw_packet(
        bytes_view(reinterpret_cast<const std::uint8_t*>(line->data()), line->size()));
  }
  const auto& answer = std::get<relay::query_answer>(r);
  if (auto* err = std::get_if<protocol::err_packet>(&answer)) co_return co_await c.send_err(*err);
  const auto& q = std::get<protocol::query_result>(answer);
  if (q.is_result_set()) co_return co_await c.send_result_set(q);
  co_return co_await c.send_ok(q.ok);
}

}  // namespace

asio::awaitable<void> run_admin_session(protocol::server_connection& connection, admin_state& state,
                                        asio::any_io_executor state_executor) {
  session_count counted;
  admin_handler handler(state);
  const auto& session = connection.session();
  handler.set_session({session.user,
                       session.peer_host,
                       {{"Ssl_cipher", session.tls_cipher}, {"Ssl_version", session.tls_version}}});
  handler.set_connection_id(session.connection_id);
  admin_session_entry listed(state.sessions(),
                             {session.connection_id, session.user, session.peer_host, {}});
  while (true) {
    auto command = co_await connection.read_command();
    if (!command) co_return;
    listed.note_command();
    reply r = co_await asio::co_spawn(state_executor, answer_on_state(handler, std::move(*command)),
                                      uncancellable());
    if (!co_await send_reply(connection, r)) co_return;
    if (handler.take_shutdown())  // the stop closes this connection too
      co_await asio::co_spawn(state_executor, shut_down_on_state(state), uncancellable());
  }
}

}  // namespace binrelay::admin
