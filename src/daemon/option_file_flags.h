#pragma once
// option_file_flags: a my.cnf-style option file (common/option_file.h) fills the same CLI11
// options as the command line, so each option is defined once. A key names a long flag
// without its `--` (`relay-log-max-size = 1000000`, `relay_log_max_size` alike); a flag given
// on the command line wins over the file; for a repeatable option (`upstream`) every line
// counts, for the others the last one.
//
// Refused, naming the file and line: an unknown key (MySQL's `loose-` prefix turns that into
// a warning), a bad value (the option's own check), a value-less key for an option that needs
// one, a key that cannot be set from a file (`config`), and any `*-password` key: passwords are
// read only from `*-password-file` files (docs/operations.md, "Secrets").
// Call after CLI::App::parse() on the thread that owns `app`.

#include <stdexcept>
#include <vector>

#include <CLI/CLI.hpp>

#include "common/option_file.h"

namespace binrelay::daemon {

// Thrown for the refusals above; what() starts with "FILE:LINE: ".
class option_file_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Sets the options of `app` (and only those the command line left unset) from `entries`.
// Returns warnings (ignored `loose-` keys) for the caller to log.
std::vector<std::string> apply_option_file(CLI::App& app,
                                           const std::vector<option_file_entry>& entries);

}  // namespace binrelay::daemon
