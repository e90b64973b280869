#pragma once
// status_row: builds the one-row result sets of SHOW SLAVE|REPLICA STATUS column by column,
// naming each column in the statement's words (replica_status.h). Sans-I/O.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/server_result_set.h"
#include "protocol/text_result_set.h"
#include "sql/statement.h"

namespace binrelay::admin {

// SLAVE/MASTER words of a legacy column name in the post-8.0.22 wording
// (Slave_IO_State -> Replica_IO_State, Get_master_public_key -> Get_Source_public_key).
std::string modern_name(std::string_view legacy);

class row_builder {
 public:
  explicit row_builder(sql::wording words) : words_(words) {}
  void text(std::string_view legacy, std::optional<std::string> value) {
    columns_.push_back(protocol::text_column(name(legacy)));
    row_.push_back(std::move(value));
  }
  void number(std::string_view legacy, std::optional<std::int64_t> value) {
    columns_.push_back(protocol::integer_column(name(legacy)));
    row_.push_back(value ? std::optional<std::string>(std::to_string(*value)) : std::nullopt);
  }
  protocol::query_result finish() {
    protocol::result_set rs(std::move(columns_));
    rs.add_row(std::move(row_));
    return rs.release();
  }

 private:
  std::string name(std::string_view legacy) const {
    return words_ == sql::wording::legacy ? std::string(legacy) : modern_name(legacy);
  }
  sql::wording words_;
  std::vector<protocol::column_definition> columns_;
  protocol::text_row row_;
};

}  // namespace binrelay::admin
