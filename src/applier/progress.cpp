#include "applier/progress.h"

#include <charconv>

#include <fmt/format.h>

namespace binrelay::applier {

std::string_view create_progress_sql() {
  return "CREATE DATABASE IF NOT EXISTS binrelay;"
         "CREATE TABLE IF NOT EXISTS binrelay.apply_progress (worker INT UNSIGNED NOT NULL "
         "PRIMARY KEY, file_number BIGINT UNSIGNED NOT NULL, relay_file VARCHAR(512) NOT NULL, "
         "end_offset BIGINT UNSIGNED NOT NULL, gtid VARCHAR(200) NOT NULL) ENGINE=InnoDB";
}

std::string record_progress_sql(unsigned worker, const relay_transaction& txn) {
  // Relay file names are ours (basename.NNNNNN) and GTID texts are digits, hex and ':-'.
  return fmt::format("REPLACE INTO binrelay.apply_progress VALUES ({},{},'{}',{},'{}')", worker,
                     txn.file_number, txn.file, txn.end_offset, txn.gtid_text());
}

std::string_view record_progress_statement() {
  return "REPLACE INTO binrelay.apply_progress VALUES (?,?,?,?,?)";
}

std::vector<protocol::param_value> record_progress_params(unsigned worker,
                                                          const relay_transaction& txn) {
  using protocol::param_value;
  return {param_value::of_uint(worker), param_value::of_uint(txn.file_number),
          param_value::of_text(txn.file), param_value::of_uint(txn.end_offset),
          param_value::of_text(txn.gtid_text())};
}

std::string_view resume_position_sql() {
  return "SELECT relay_file, end_offset FROM binrelay.apply_progress "
         "ORDER BY file_number DESC, end_offset DESC LIMIT 1";
}

result<std::optional<binlog::log_position>> parse_resume_position(const protocol::query_result& r) {
  if (r.rows.empty()) return std::optional<binlog::log_position>();
  const auto& row = r.rows.front();
  if (row.size() != 2 || !row[0] || !row[1]) {
    return make_error(errc::protocol_error, "binrelay.apply_progress: unexpected row");
  }
  binlog::log_position p{*row[0], 0};
  const std::string& s = *row[1];
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), p.offset);
  if (ec != std::errc() || ptr != s.data() + s.size()) {
    return make_error(errc::corrupt, "binrelay.apply_progress: bad end_offset '{}'", s);
  }
  return std::optional<binlog::log_position>(std::move(p));
}

}  // namespace binrelay::applier
