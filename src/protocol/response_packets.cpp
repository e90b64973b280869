#include "protocol/response_packets.h"

#include "protocol/constants.h"

namespace binrelay::protocol {

std::string err_packet::describe() const {
  if (sql_state.empty()) return fmt::format("ERROR {}: {}", error_code, message);
  return fmt::format("ERROR {} ({}): {}", error_code, sql_state, message);
}

binrelay::error err_packet::to_error(std::string_view context) const {
  binrelay::error e = make_error(errc::server_error, "{}: {}", context, describe());
  e.server_errno = error_code;
  return e;
}

bool is_ok_packet(bytes_view payload) {
  return !payload.empty() && payload[0] == ok_header;
}
bool is_err_packet(bytes_view payload) {
  return !payload.empty() && payload[0] == err_header;
}
bool is_eof_packet(bytes_view payload) {
  return !payload.empty() && payload[0] == eof_header && payload.size() < 9;
}

result<ok_packet> parse_ok_packet(bytes_view payload) {
  byte_reader r(payload);
  std::uint8_t header = r.u8();
  if (r.ok() && header != ok_header && header != eof_header) {
    return make_error(errc::protocol_error, "expected an OK packet, got header 0x{:02x}", header);
  }
  ok_packet ok;
  ok.affected_rows = r.lenenc();
  ok.last_insert_id = r.lenenc();
  ok.status_flags = r.u16();
  ok.warnings = r.u16();
  if (!r.ok()) {
    return make_error(errc::truncated, "OK packet of {} bytes is truncated", payload.size());
  }
  ok.info = std::string(as_string_view(r.rest()));
  return ok;
}

result<err_packet> parse_err_packet(bytes_view payload) {
  byte_reader r(payload);
  std::uint8_t header = r.u8();
  err_packet err;
  err.error_code = r.u16();
  if (!r.ok()) {
    return make_error(errc::truncated, "ERR packet of {} bytes is truncated", payload.size());
  }
  if (header != err_header) {
    return make_error(errc::protocol_error, "expected an ERR packet, got header 0x{:02x}", header);
  }
  if (!r.empty() && r.rest()[0] == '#') {
    r.skip(1);
    err.sql_state = std::string(r.str(5));
    if (!r.ok()) {
      return make_error(errc::truncated, "ERR packet ends inside its SQL state");
    }
  }
  err.message = std::string(as_string_view(r.rest()));
  return err;
}

result<eof_packet> parse_eof_packet(bytes_view payload) {
  if (!is_eof_packet(payload)) {
    return make_error(errc::protocol_error, "expected an EOF packet ({} bytes, header 0x{:02x})",
                      payload.size(), payload.empty() ? 0 : payload[0]);
  }
  byte_reader r(payload.subspan(1));
  eof_packet eof;
  eof.warnings = r.u16();
  eof.status_flags = r.u16();
  if (!r.ok()) return make_error(errc::truncated, "EOF packet is truncated");
  return eof;
}

std::vector<std::uint8_t> build_ok_packet(const ok_packet& ok, std::uint8_t header) {
  std::vector<std::uint8_t> out;
  byte_writer w(out);
  w.u8(header);
  w.lenenc(ok.affected_rows);
  w.lenenc(ok.last_insert_id);
  w.u16(ok.status_flags);
  w.u16(ok.warnings);
  w.str(ok.info);
  return out;
}

std::vector<std::uint8_t> build_err_packet(const err_packet& err) {
  std::vector<std::uint8_t> out;
  byte_writer w(out);
  w.u8(err_header);
  w.u16(err.error_code);
  if (!err.sql_state.empty()) {
    w.u8('#');
    w.str(err.sql_state.substr(0, 5));
    if (err.sql_state.size() < 5) w.zeros(5 - err.sql_state.size());
  }
  w.str(err.message);
  return out;
}

std::vector<std::uint8_t> build_eof_packet(const eof_packet& eof) {
  std::vector<std::uint8_t> out;
  byte_writer w(out);
  w.u8(eof_header);
  w.u16(eof.warnings);
  w.u16(eof.status_flags);
  return out;
}

}  // namespace binrelay::protocol
