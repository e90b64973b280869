#pragma once
// COM_QUERY and its answer (docs/protocol.md, "Queries"):
//   COM_QUERY   0x03 | sql (rest)
//   answer      OK | ERR | column_count lenenc, column_count × column definition,
//               [EOF unless DEPRECATE_EOF], rows, terminator
//   column def  catalog, schema, table, org_table, name, org_name (lenenc strings) |
//               0x0C | charset u16 | length u32 | type u8 | flags u16 | decimals u8 | 0x0000
//   text row    one lenenc string per column, 0xFB for NULL
//   terminator  EOF, or under DEPRECATE_EOF an OK packet with header 0xFE
// Sans-I/O: query_response_reader consumes payloads in order and says when the answer is whole.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "protocol/response_packets.h"

namespace binrelay::protocol {

struct column_definition {
  std::string catalog = "def";
  std::string schema;
  std::string table;
  std::string org_table;
  std::string name;
  std::string org_name;
  std::uint16_t charset = 0;
  std::uint32_t column_length = 0;
  std::uint8_t type = 0;
  std::uint16_t flags = 0;
  std::uint8_t decimals = 0;
  bool operator==(const column_definition&) const = default;
};

using text_row = std::vector<std::optional<std::string>>;

// The whole answer to a query: an OK (no columns) or a result set.
struct query_result {
  std::vector<column_definition> columns;
  std::vector<text_row> rows;
  ok_packet ok;  // the OK, or the status of the terminator of a result set
  bool is_result_set() const { return !columns.empty(); }
};

std::vector<std::uint8_t> build_com_query(std::string_view sql);
// The SQL text of a COM_QUERY payload.
result<std::string_view> parse_com_query(bytes_view payload);

result<column_definition> parse_column_definition(bytes_view payload);
std::vector<std::uint8_t> build_column_definition(const column_definition& column);

result<text_row> parse_text_row(bytes_view payload, std::size_t column_count);
std::vector<std::uint8_t> build_text_row(const text_row& row);

// The payloads a server sends for `answer`, in order.
std::vector<std::vector<std::uint8_t>> build_query_response(const query_result& answer,
                                                            bool deprecate_eof);

// Consumes the payloads answering one COM_QUERY. An ERR becomes errc::server_error.
class query_response_reader {
 public:
  explicit query_response_reader(bool deprecate_eof) : deprecate_eof_(deprecate_eof) {}

  // true once the answer is complete; REQUIRES: not called again after that.
  result<bool> on_packet(bytes_view payload);
  query_result& answer() { return answer_; }

 private:
  enum class state { first, columns, columns_eof, rows, done };
  result<bool> on_first(bytes_view payload);
  result<bool> on_row_or_end(bytes_view payload);

  bool deprecate_eof_;
  state state_ = state::first;
  std::size_t column_count_ = 0;
  query_result answer_;
};

}  // namespace binrelay::protocol
