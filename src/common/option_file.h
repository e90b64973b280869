#pragma once
// option_file: my.cnf-style option files, as MySQL's and MariaDB's programs read them, so one
// file can hold a `[binrelayd]` group next to `[client]` or `[mysqld]`:
//
//   # comment            ; comment            key = value   # trailing comment
//   [binrelayd]          key=value            bare-key      (a flag: "true")
//   key = "quoted # value"                    key_with_underscores (same as key-with-...)
//   !include /etc/binrelay/more.cnf           !includedir /etc/binrelay/conf.d  (*.cnf, sorted)
//
// Only the lines of the wanted groups are kept (group names compare case-insensitively).
// Lines before any group header are kept too, so a file for binrelayd alone needs no header
// (MySQL refuses them; binrelayd's earlier config files had none). Keys have `_` replaced by
// `-` (MySQL treats them alike). The format: docs/operations.md, "Config file".
// Pure functions over text, except read_option_file (files). Thread-safe.

#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace binrelay {

struct option_file_entry {
  std::string file;                  // as given or included
  std::size_t line = 0;              // 1-based
  std::string key;                   // normalized: '_' -> '-'
  std::optional<std::string> value;  // nullopt: a bare key
  std::string where() const { return file + ":" + std::to_string(line); }
};

// Reads the path of an `!include` (a file) or `!includedir` (its *.cnf files, sorted by name).
// Returns the entries of the included files (wanted groups only). Used by parse_option_file.
using option_include_fn = std::function<result<std::vector<option_file_entry>>(
    const std::filesystem::path& path, bool is_directory)>;

// Parses `text`, the content of `file_name`. Errors (invalid_argument) start with
// "FILE:LINE: " and say what is wrong on that line. `include` may be empty: then `!include`
// lines are refused.
result<std::vector<option_file_entry>> parse_option_file(std::string_view text,
                                                         const std::string& file_name,
                                                         std::span<const std::string> groups,
                                                         const option_include_fn& include = {});

// Reads `path` and what it includes (up to 10 levels deep). Errors: io_error naming the file,
// or the parse errors above.
result<std::vector<option_file_entry>> read_option_file(const std::filesystem::path& path,
                                                        std::span<const std::string> groups);

}  // namespace binrelay
