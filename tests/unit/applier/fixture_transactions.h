#pragma once
// Test helper: the transactions of a real binlog fixture as binlog::transaction values, cut as
// binrelayd's relay reader cuts them (binlog/transaction_boundary.h), without the relay module;
// and copies of one transaction under other GTIDs, so that a test has as many transactions as
// it needs from the events a real server wrote.

#include <cstdint>
#include <string>
#include <vector>

#include "binlog/transaction.h"

namespace binrelay::test {

// The fixture's complete transactions (relative to the fixtures folder), in file order, as if
// the file were the relay log file `relay_file` (number `file_number`). REQUIRES (checked):
// the file reads without error.
std::vector<binlog::transaction> fixture_transactions(const std::string& fixture,
                                                      const std::string& relay_file,
                                                      std::uint64_t file_number);

// `count` copies of the MariaDB transaction `t`, back to back in its relay file from
// t.start_offset: GTID seq_no first_seq_no, first_seq_no + 1, ...; each in the group commit
// `commit_id` (the scheduler lets them run in parallel); the first begins the file.
std::vector<binlog::transaction> group_commit_copies(const binlog::transaction& t,
                                                     std::size_t count, std::uint64_t first_seq_no,
                                                     std::uint64_t commit_id);

}  // namespace binrelay::test
