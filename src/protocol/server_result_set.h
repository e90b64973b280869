#pragma once
// Building the result sets a server sends (docs/protocol.md, "Queries"): column definitions
// shaped as MySQL describes text and integer columns, and rows of text values. The encoding
// itself is build_query_response() in text_result_set.h. Sans-I/O.
//
//   result_set rs({text_column("Variable_name"), text_column("Value")});
//   rs.add_row({"server_id", "7"});

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "protocol/text_result_set.h"

namespace binrelay::protocol {

namespace column_type {
inline constexpr std::uint8_t longlong = 0x08;
inline constexpr std::uint8_t var_string = 0xFD;
}  // namespace column_type

namespace column_flag {
inline constexpr std::uint16_t not_null = 0x0001;
inline constexpr std::uint16_t unsigned_ = 0x0020;
inline constexpr std::uint16_t binary = 0x0080;
}  // namespace column_flag

inline constexpr std::uint16_t binary_charset = 63;

// VAR_STRING in utf8mb4 holding up to `max_chars` characters.
column_definition text_column(std::string name, std::uint32_t max_chars = 256);
// BIGINT, shown right-aligned by clients; `is_unsigned` for positions and ids.
column_definition integer_column(std::string name, bool is_unsigned = false);

class result_set {
 public:
  explicit result_set(std::vector<column_definition> columns);

  // REQUIRES: one value per column.
  void add_row(text_row row);
  void add_row(std::initializer_list<std::optional<std::string>> values);

  std::size_t column_count() const { return result_.columns.size(); }
  std::size_t row_count() const { return result_.rows.size(); }
  const query_result& result() const { return result_; }
  query_result release() { return std::move(result_); }

 private:
  query_result result_;
};

}  // namespace binrelay::protocol
