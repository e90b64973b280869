#include "protocol/server_errors.h"

#include <fmt/format.h>

#include "common/log_text.h"

namespace binrelay::protocol {

std::string_view sql_state_for(std::uint16_t code) {
  switch (code) {
    case er::too_many_connections:
      return "08004";
    case er::handshake_error:
      return "08S01";
    case er::access_denied:
      return "28000";
    case er::unknown_command:
      return "08S01";
    case er::net_packet_too_large:
      return "08S01";
    case er::parse_error:
      return "42000";
    case er::empty_query:
      return "42000";
    case er::not_supported_yet:
      return "42000";
    case er::specific_access_denied:
      return "42000";
    default:
      return "HY000";
  }
}

err_packet make_err_packet(std::uint16_t code, std::string message) {
  return err_packet{code, std::string(sql_state_for(code)), std::move(message)};
}

err_packet access_denied(std::string_view user, std::string_view host, bool using_password) {
  return make_err_packet(er::access_denied,
                         fmt::format("Access denied for user '{}'@'{}' (using password: {})",
                                     printable(user), host, using_password ? "YES" : "NO"));
}

err_packet too_many_connections() {
  return make_err_packet(er::too_many_connections, "Too many connections");
}

err_packet host_blocked(std::string_view host) {
  return make_err_packet(er::host_blocked,
                         fmt::format("Host '{}' is blocked because of many connection errors; "
                                     "try again later",
                                     host));
}

err_packet bad_handshake() {
  return make_err_packet(er::handshake_error, "Bad handshake");
}

err_packet unknown_command() {
  return make_err_packet(er::unknown_command, "Unknown command");
}

err_packet secure_transport_required() {
  return make_err_packet(er::secure_transport_required,
                         "Connections using insecure transport are prohibited while "
                         "--require_secure_transport=ON.");
}

err_packet packet_too_large() {
  return make_err_packet(er::net_packet_too_large,
                         "Got a packet bigger than 'max_allowed_packet' bytes");
}

err_packet not_supported_yet(std::string_view what) {
  return make_err_packet(er::not_supported_yet,
                         fmt::format("This version of binrelay doesn't yet support '{}'",
                                     printable(what, max_logged_sql)));
}

err_packet to_err_packet(const binrelay::error& e) {
  if (e.server_errno == 0) return make_err_packet(er::unknown_error, e.message);
  return make_err_packet(e.server_errno, e.message);
}

}  // namespace binrelay::protocol
