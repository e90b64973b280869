#pragma once
// The admin role of binrelayd's listener: one authenticated admin connection's command loop.
// COM_QUERY goes through admin_handler (SQL subset, docs/admin-sql.md); COM_PING and
// COM_INIT_DB are OK; COM_STATISTICS is mysqld's status line (statistics.h); COM_QUIT ends the
// session; any other command is ERR 1047.
//
// Reads and writes on the connection's own executor (a socket and its TLS state are used by
// one thread only, so a stop that closes the connection there never races a read or write);
// each command is answered on `state_executor`, where admin_state lives. Returns when the
// client quits or goes away, a send fails, or the connection is cancelled.

#include <boost/asio/awaitable.hpp>

#include "admin/state.h"
#include "protocol/server_connection.h"

namespace binrelay::admin {

boost::asio::awaitable<void> run_admin_session(protocol::server_connection& connection,
                                               admin_state& state,
                                               boost::asio::any_io_executor state_executor);

}  // namespace binrelay::admin
