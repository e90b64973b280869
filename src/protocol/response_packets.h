#pragma once
// Generic response packets of the protocol (docs/protocol.md, "Responses"):
//   OK   0x00 (or 0xFE ending a result set under DEPRECATE_EOF) | affected_rows lenenc |
//        last_insert_id lenenc | status u16 | warnings u16 | info (rest)
//   ERR  0xFF | errno u16 | ['#' sql_state[5]] | message (rest)
//   EOF  0xFE | warnings u16 | status u16        (payload shorter than 9 bytes)
// Parsers assume CLIENT_PROTOCOL_41 without CLIENT_SESSION_TRACK (what our client negotiates).
// Sans-I/O.

#include <cstdint>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"

namespace binrelay::protocol {

struct ok_packet {
  std::uint64_t affected_rows = 0;
  std::uint64_t last_insert_id = 0;
  std::uint16_t status_flags = 0;
  std::uint16_t warnings = 0;
  std::string info;
  bool operator==(const ok_packet&) const = default;
};

struct err_packet {
  std::uint16_t error_code = 0;
  std::string sql_state;  // five characters, or empty when the server sent no marker
  std::string message;
  bool operator==(const err_packet&) const = default;

  // "ERROR 1045 (28000): Access denied for user ..." as the mysql client prints it.
  std::string describe() const;
  // errc::server_error carrying error_code, message "<context>: <describe()>".
  binrelay::error to_error(std::string_view context) const;
};

struct eof_packet {
  std::uint16_t warnings = 0;
  std::uint16_t status_flags = 0;
  bool operator==(const eof_packet&) const = default;
};

bool is_ok_packet(bytes_view payload);
bool is_err_packet(bytes_view payload);
// 0xFE with a payload shorter than 9 bytes (a row or length can never look like that).
bool is_eof_packet(bytes_view payload);

// Accepts header 0x00, or 0xFE (the OK that ends a result set under DEPRECATE_EOF).
result<ok_packet> parse_ok_packet(bytes_view payload);
result<err_packet> parse_err_packet(bytes_view payload);
result<eof_packet> parse_eof_packet(bytes_view payload);

// `header` is 0x00 or 0xFE.
std::vector<std::uint8_t> build_ok_packet(const ok_packet& ok, std::uint8_t header = 0x00);
std::vector<std::uint8_t> build_err_packet(const err_packet& err);
std::vector<std::uint8_t> build_eof_packet(const eof_packet& eof);

}  // namespace binrelay::protocol
