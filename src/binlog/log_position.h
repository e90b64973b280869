#pragma once
// log_position: a place in a sequence of binlog files: a file name and a byte offset in it
// (an event's start, normally a transaction boundary).

#include <cstdint>
#include <string>

namespace binrelay::binlog {

struct log_position {
  std::string file;
  std::uint64_t offset = 0;
  friend bool operator==(const log_position&, const log_position&) = default;
};

}  // namespace binrelay::binlog
