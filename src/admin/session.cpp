#include "admin/session.h"

#include <atomic>

#include "admin/handler.h"
#include "admin/statistics.h"
#include "common/log.h"
#include "protocol/constants.h"
#include "protocol/server_errors.h"

namespace binrelay::admin {
namespace asio = boost::asio;

namespace {

constexpr auto com_query = static_cast<std::uint8_t>(protocol::command::query);
constexpr auto com_ping = static_cast<std::uint8_t>(protocol::command::ping);
constexpr auto com_init_db = static_cast<std::uint8_t>(protocol::command::init_db);
constexpr std::uint8_t com_statistics = 0x09;  // COM_STATISTICS

// For COM_STATISTICS: admin sessions alive and statements answered, over the whole process
// (admin sessions all run on the daemon's main thread; atomics keep that an assumption only).
std::atomic<std::size_t> admin_sessions{0};
std::atomic<std::uint64_t> admin_questions{0};

struct session_count {
  session_count() { ++admin_sessions; }
  ~session_count() { --admin_sessions; }
};

asio::awaitable<result<void>> send_statistics(protocol::server_connection& c,
                                              const admin_state& state) {
  std::string text =
      statistics_text(process_uptime(), admin_sessions + state.replicas().size(), admin_questions);
  co_return co_await c.send_raw_packet(as_bytes(text));
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
  admin_handler handler(state);
  const auto& session = connection.session();
  handler.set_session({session.user,
                       session.peer_host,
                       {{"Ssl_cipher", session.tls_cipher}, {"Ssl_version", session.tls_version}}});
  session_count counted;
  while (true) {
    auto command = co_await connection.read_command();
    if (!command) co_return;
    std::uint8_t code = command->empty() ? 0 : (*command)[0];
    result<void> sent;
    // No co_await inside ?: — GCC 12 evaluates both operands of a conditional holding two.
    if (code == com_query) {
      ++admin_questions;
      auto sql = protocol::parse_com_query(*command);
      if (sql) {
        sent = co_await send_answer(connection, handler.answer(*sql));
      } else {
        sent = co_await connection.send_err(protocol::to_err_packet(sql.error()));
      }
    } else if (code == com_ping || code == com_init_db) {
      sent = co_await connection.send_ok();
    } else if (code == com_statistics) {
      sent = co_await send_statistics(connection, state);
    } else {
      sent = co_await connection.send_err(protocol::unknown_command());
    }
    if (!sent) co_return;
  }
}

}  // namespace binrelay::admin
