#include "admin/session.h"

#include <optional>

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

asio::awaitable<result<void>> send_answer(protocol::server_connection& c,
                                          const relay::query_answer& answer) {
  if (auto* err = std::get_if<protocol::err_packet>(&answer)) co_return co_await c.send_err(*err);
  const auto& r = std::get<protocol::query_result>(answer);
  if (r.is_result_set()) co_return co_await c.send_result_set(r);
  co_return co_await c.send_ok(r.ok);
}

}  // namespace

asio::awaitable<void> run_admin_session(protocol::server_connection& connection,
                                        admin_state& state) {
  session_count counted;
  admin_handler handler(state);
  const auto& session = connection.session();
  handler.set_session({session.user,
                       session.peer_host,
                       {{"Ssl_cipher", session.tls_cipher}, {"Ssl_version", session.tls_version}}});
  handler.set_connection_id(session.connection_id);
  while (true) {
    auto command = co_await connection.read_command();
    if (!command) co_return;
    std::uint8_t code = command->empty() ? 0 : (*command)[0];
    result<void> sent;
    // No co_await inside ?: — GCC 12 evaluates both operands of a conditional holding two.
    if (code == com_query) {
      auto sql = protocol::parse_com_query(*command);
      if (sql) {
        sent = co_await send_answer(connection, handler.answer(*sql));
      } else {
        sent = co_await connection.send_err(protocol::to_err_packet(sql.error()));
      }
    } else if (code == com_ping || code == com_init_db) {
      sent = co_await connection.send_ok();
    } else if (code == com_statistics) {
      std::string line = handler.statistics();
      sent = co_await connection.send_raw_packet(
          bytes_view(reinterpret_cast<const std::uint8_t*>(line.data()), line.size()));
    } else if (auto answer = admin_command(handler, *command)) {
      sent = co_await send_answer(connection, *answer);
    } else {
      sent = co_await connection.send_err(protocol::unknown_command());
    }
    if (!sent) co_return;
  }
}

}  // namespace binrelay::admin
