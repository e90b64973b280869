#pragma once
// COM_STATISTICS (`mysqladmin status`): one line of text in place of an OK, in mysqld's words:
//   Uptime: 42  Threads: 3  Questions: 17  Slow queries: 0  Opens: 0  Flush tables: 0
//   Open tables: 0  Queries per second avg: 0.404
// (one line, two spaces between fields). For binrelayd, Threads counts the admin sessions and
// the connected replicas, Questions the statements the admin port answered; it opens no tables.

#include <chrono>
#include <cstdint>
#include <string>

namespace binrelay::admin {

std::string statistics_text(std::chrono::seconds uptime, std::size_t threads,
                            std::uint64_t questions);

}  // namespace binrelay::admin
