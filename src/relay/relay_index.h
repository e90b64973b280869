#pragma once
// The relay log's file names and its index file, MySQL style: files `<basename>.000001`,
// `<basename>.000002`, ... and `<basename>.index` listing them oldest first, one per line as
// `./<name>` (lines without "./" are accepted too). docs/relay-store.md, "Files".
//
// The index is replaced atomically and durably (common/durable_file.h): a crash leaves either
// the old or the new list.
// Free functions; thread-safety is the caller's (the store serialises all index writes).

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace binrelay::relay {

// "<basename>.000042" (at least 6 digits, more when the number needs them).
std::string relay_file_name(std::string_view basename, std::uint64_t number);
// The number of a name made by relay_file_name, or nullopt for any other name.
std::optional<std::uint64_t> relay_file_number(std::string_view basename, std::string_view name);

std::filesystem::path index_path(const std::filesystem::path& dir, std::string_view basename);

// File names in index order; an empty list when the index does not exist. io_error when it
// cannot be read; corrupt when a line is not a file name of this basename.
result<std::vector<std::string>> read_index(const std::filesystem::path& dir,
                                            std::string_view basename);
// Replaces the index with `names` atomically (see above).
result<void> write_index(const std::filesystem::path& dir, std::string_view basename,
                         const std::vector<std::string>& names);
// Relay log files present in `dir` (names matching relay_file_number), sorted by number.
result<std::vector<std::string>> list_relay_files(const std::filesystem::path& dir,
                                                  std::string_view basename);

}  // namespace binrelay::relay
