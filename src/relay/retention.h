#pragma once
// Which relay log files to purge: the oldest files beyond a total-size limit or older than
// an age limit. Purging takes a prefix of the file list (oldest first) so the index stays
// contiguous; it never takes the current (last) file, and stops at the first file a reader
// still uses. Pure; docs/relay-store.md, "Retention".

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace binrelay::relay {

struct retention_limits {
  std::uint64_t max_total_size = 0;  // bytes over all files; 0 = no limit
  std::chrono::seconds max_age{0};   // by last write time; 0 = no limit
};

struct retention_file {
  std::string name;
  std::uint64_t size = 0;
  std::int64_t last_write_unix = 0;  // seconds
};

// Answers whether a reader (a replica being served) still reads a file. May be empty.
using file_in_use_fn = std::function<bool(std::string_view file_name)>;

// Number of leading files of `files` (oldest first) to purge.
std::size_t files_to_purge(const std::vector<retention_file>& files, const retention_limits& limits,
                           std::int64_t now_unix, const file_in_use_fn& in_use);

}  // namespace binrelay::relay
