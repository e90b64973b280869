#pragma once
// Access to the real binlog files in ../shared/fixtures and their MANIFEST.tsv.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace binrelay::test {

struct fixture {
  std::filesystem::path path;  // absolute
  std::string name;            // path relative to the fixtures folder
  std::string expect;          // ok, corrupt, truncated, encrypted, legacy, no-fde
  std::uint64_t size = 0;
  std::string server_version;
  std::string checksum;  // CRC32, NONE, ...
  std::uint64_t event_total = 0;
  std::map<std::string, std::uint64_t> event_counts;  // "WRITE_ROWS_V2" -> 3
  std::map<std::string, std::string> columns;         // every MANIFEST column by header name
};

std::filesystem::path fixtures_dir();
// Every MANIFEST row, in file order.
const std::vector<fixture>& all_fixtures();
std::vector<std::uint8_t> read_file(const std::filesystem::path& p);

}  // namespace binrelay::test
