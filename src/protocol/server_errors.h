#pragma once
// The MySQL errors a server built on binrelay sends, with MySQL's own numbers, SQL states and
// wording, so clients and replicas react to them as they would to a real server
// (MySQL share/messages_to_clients.txt). Sans-I/O: these only build ERR packet values.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.h"
#include "protocol/response_packets.h"

namespace binrelay::protocol {

namespace er {
inline constexpr std::uint16_t too_many_connections = 1040;         // 08004
inline constexpr std::uint16_t handshake_error = 1043;              // 08S01 "Bad handshake"
inline constexpr std::uint16_t access_denied = 1045;                // 28000
inline constexpr std::uint16_t host_blocked = 1129;                 // HY000
inline constexpr std::uint16_t unknown_command = 1047;              // 08S01
inline constexpr std::uint16_t parse_error = 1064;                  // 42000
inline constexpr std::uint16_t empty_query = 1065;                  // 42000 "Query was empty"
inline constexpr std::uint16_t unknown_error = 1105;                // HY000
inline constexpr std::uint16_t net_packet_too_large = 1153;         // 08S01
inline constexpr std::uint16_t unknown_system_variable = 1193;      // HY000
inline constexpr std::uint16_t specific_access_denied = 1227;       // 42000
inline constexpr std::uint16_t not_supported_yet = 1235;            // 42000
inline constexpr std::uint16_t master_fatal_reading_binlog = 1236;  // HY000
inline constexpr std::uint16_t secure_transport_required = 3159;    // HY000
}  // namespace er

// The SQL state MySQL pairs with `code`; "HY000" for codes not in our table.
std::string_view sql_state_for(std::uint16_t code);

// An ERR packet value with the SQL state of `code`.
err_packet make_err_packet(std::uint16_t code, std::string message);

// "Access denied for user 'u'@'host' (using password: YES)"; the user name is escaped and
// truncated (common/log_text.h): a client's text is never echoed whole.
err_packet access_denied(std::string_view user, std::string_view host, bool using_password);
err_packet too_many_connections();
// "Host 'h' is blocked because of many connection errors" (the login-failure back-off).
err_packet host_blocked(std::string_view host);
err_packet bad_handshake();
err_packet unknown_command();
err_packet secure_transport_required();
// "Got a packet bigger than 'max_allowed_packet' bytes".
err_packet packet_too_large();
// "This version of binrelay doesn't yet support '<what>'"; `what` is escaped and truncated.
err_packet not_supported_yet(std::string_view what);

// The ERR packet for an error carrying a server errno (e.g. from the SQL parser); an error
// without one becomes 1105 (ER_UNKNOWN_ERROR) with the error's message.
err_packet to_err_packet(const binrelay::error& e);

}  // namespace binrelay::protocol
