#include "protocol/server_result_set.h"

#include <cassert>

#include "protocol/constants.h"

namespace binrelay::protocol {

column_definition text_column(std::string name, std::uint32_t max_chars) {
  column_definition c;
  c.name = name;
  c.org_name = std::move(name);
  c.charset = default_charset;
  c.column_length = max_chars * 4;  // utf8mb4: four bytes per character
  c.type = column_type::var_string;
  return c;
}

column_definition integer_column(std::string name, bool is_unsigned) {
  column_definition c;
  c.name = name;
  c.org_name = std::move(name);
  c.charset = binary_charset;
  c.column_length = 20;
  c.type = column_type::longlong;
  c.flags = column_flag::binary | (is_unsigned ? column_flag::unsigned_ : 0);
  return c;
}

result_set::result_set(std::vector<column_definition> columns) {
  assert(!columns.empty());
  result_.columns = std::move(columns);
  result_.ok.status_flags = status::autocommit;
}

void result_set::add_row(text_row row) {
  assert(row.size() == result_.columns.size());
  result_.rows.push_back(std::move(row));
}

void result_set::add_row(std::initializer_list<std::optional<std::string>> values) {
  add_row(text_row(values));
}

}  // namespace binrelay::protocol
