#pragma once
// Prepared statements of the binary protocol (docs/protocol.md, "Prepared statements"):
//   COM_STMT_PREPARE  0x16 | statement text
//     answer          OK: 0x00 | statement_id u32 | columns u16 | params u16 | 0x00 |
//                     warnings u16; then `params` column definitions [+ EOF], then
//                     `columns` column definitions [+ EOF] (the EOFs only without
//                     CLIENT_DEPRECATE_EOF); or ERR
//   COM_STMT_EXECUTE  0x17 | statement_id u32 | flags u8 (0: no cursor) | iterations u32 (1) |
//                     when params > 0: NULL bitmap (params+7)/8 | new_params_bound u8 (1) |
//                     per param: type u8, flags u8 (0x80 unsigned) | the non-NULL values
//     answer          OK or ERR (or a binary result set, which the applier never asks for)
//   COM_STMT_CLOSE    0x19 | statement_id u32; no answer
// Values are sent in binary: integers as 8 bytes, FLOAT/DOUBLE as their IEEE bits, byte
// strings length-encoded. A `bytes` parameter is typed BLOB, which the server treats as a
// binary string (no character set conversion, as an X'..' literal); a `text` parameter is typed
// VAR_STRING (in the connection's character set) and `decimal` NEWDECIMAL: the server reads
// both as it would read the same text quoted in SQL.
// Sans-I/O.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"

namespace binrelay::protocol {

// Field type codes used for parameters.
namespace field_type {
inline constexpr std::uint8_t float_ = 0x04;
inline constexpr std::uint8_t double_ = 0x05;
inline constexpr std::uint8_t null = 0x06;
inline constexpr std::uint8_t longlong = 0x08;
inline constexpr std::uint8_t newdecimal = 0xF6;
inline constexpr std::uint8_t blob = 0xFC;
inline constexpr std::uint8_t var_string = 0xFD;
}  // namespace field_type

// One parameter value. `bytes` holds the text or binary string of text/decimal/bytes kinds.
struct param_value {
  enum class kind : std::uint8_t { null, int64, uint64, float_, double_, decimal, text, bytes };
  kind k = kind::null;
  std::uint64_t u = 0;  // int64 (two's complement), uint64
  float f = 0;
  double d = 0;
  std::string str;

  static param_value of_null() { return {}; }
  static param_value of_int(std::int64_t v) { return {kind::int64, std::uint64_t(v), 0, 0, {}}; }
  static param_value of_uint(std::uint64_t v) { return {kind::uint64, v, 0, 0, {}}; }
  static param_value of_float(float v) { return {kind::float_, 0, v, 0, {}}; }
  static param_value of_double(double v) { return {kind::double_, 0, 0, v, {}}; }
  static param_value of_decimal(std::string v) { return {kind::decimal, 0, 0, 0, std::move(v)}; }
  static param_value of_text(std::string v) { return {kind::text, 0, 0, 0, std::move(v)}; }
  static param_value of_bytes(bytes_view v) {
    return {kind::bytes, 0, 0, 0, std::string(as_string_view(v))};
  }
  bool operator==(const param_value&) const = default;
};

struct prepare_ok {
  std::uint32_t statement_id = 0;
  std::uint16_t columns = 0;
  std::uint16_t params = 0;
  std::uint16_t warnings = 0;
  bool operator==(const prepare_ok&) const = default;
};

std::vector<std::uint8_t> build_com_stmt_prepare(std::string_view sql);
std::vector<std::uint8_t> build_com_stmt_close(std::uint32_t statement_id);
// Appends the COM_STMT_EXECUTE payload binding `params` (types sent with every execution).
void append_com_stmt_execute(std::vector<std::uint8_t>& out, std::uint32_t statement_id,
                             const std::vector<param_value>& params);
std::vector<std::uint8_t> build_com_stmt_execute(std::uint32_t statement_id,
                                                 const std::vector<param_value>& params);

// Decoders for tests and for a server: the statement id and the values (types from the packet;
// REQUIRES: `param_count` is the statement's parameter count).
struct com_stmt_execute {
  std::uint32_t statement_id = 0;
  std::vector<param_value> params;
};
result<com_stmt_execute> parse_com_stmt_execute(bytes_view payload, std::size_t param_count);

// Consumes the payloads answering one COM_STMT_PREPARE. An ERR becomes errc::server_error.
class prepare_response_reader {
 public:
  explicit prepare_response_reader(bool deprecate_eof) : deprecate_eof_(deprecate_eof) {}
  // true when the answer is complete.
  result<bool> on_packet(bytes_view payload);
  const prepare_ok& answer() const { return ok_; }

 private:
  result<bool> on_first(bytes_view payload);

  bool deprecate_eof_;
  bool started_ = false;
  prepare_ok ok_;
  std::string expected_;  // packets still to come: 'd' definition, 'e' EOF
};

}  // namespace binrelay::protocol
