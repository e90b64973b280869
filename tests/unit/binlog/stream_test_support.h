#pragma once
// Helpers for the file_reader / file_writer / payload tests: a temporary directory that
// removes itself, and synthetic events checksummed like a server writes them.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "binlog/event_header.h"
#include "binlog/format_description.h"
#include "common/bytes.h"

namespace binrelay::binlog::test {

class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// The FDE (whole event, CRC32 on) of a real MySQL 5.7 binlog fixture.
std::vector<std::uint8_t> real_crc32_fde();

// A whole event of `type` whose body is `body_size` bytes of a pattern seeded by `seed`,
// ending at `end_pos` (its log_pos), with a CRC32 when `alg` says so.
std::vector<std::uint8_t> synthetic_event(event_type type, std::size_t body_size,
                                          std::uint32_t end_pos, std::uint8_t seed,
                                          checksum_alg alg = checksum_alg::crc32);

// A binlog file image: magic, the real FDE, then events of the given body sizes (Rows_query).
std::vector<std::uint8_t> synthetic_binlog(const std::vector<std::size_t>& body_sizes);

void write_bytes(const std::filesystem::path& p, bytes_view data);

}  // namespace binrelay::binlog::test
