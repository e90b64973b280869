#pragma once
// The transactions of a sequence of binlog files, for comparing a relay log with the primary's
// binlog: each transaction's GTID and, for each of its events, the type, timestamp, server id
// and body bytes (what binrelay must keep byte-exact; log_pos and checksum may differ).

#include <filesystem>
#include <string>
#include <vector>

namespace binrelay::test {

struct logged_event {
  int type = 0;
  std::uint32_t timestamp = 0;
  std::uint32_t server_id = 0;
  std::string body;
  bool operator==(const logged_event&) const = default;
};

struct logged_transaction {
  std::string gtid;  // "0-1-5" or "uuid:5"
  std::vector<logged_event> events;
  bool operator==(const logged_transaction&) const = default;
};

// Reads every file in order; throws std::runtime_error on a decoding error.
std::vector<logged_transaction> read_transactions(const std::vector<std::filesystem::path>& files);

// The relay log files listed in `dir`/relay-bin.index, in order.
std::vector<std::filesystem::path> relay_files(const std::filesystem::path& dir);

// A message naming the first difference, or "" when equal.
std::string first_difference(const std::vector<logged_transaction>& expected,
                             const std::vector<logged_transaction>& actual);

}  // namespace binrelay::test
