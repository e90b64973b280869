#pragma once
// Shell commands and child processes for the test support of real servers (mariadb_server,
// mysql_server): what both need, once.

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace binrelay::test {

// Runs a shell command; returns its stdout. Throws with stderr when the exit status is non-zero.
std::string run_command(const std::string& cmd);
// A free TCP port on 127.0.0.1.
std::uint16_t free_port();
// `s` as one single-quoted shell word.
std::string shell_quote(const std::string& s);
// A client's -B output: one row per line, fields split on tabs.
std::vector<std::vector<std::string>> split_tab_rows(const std::string& text);
// Sends `signal` to `pid` (when positive), waits for it, and sets it to -1.
void signal_and_reap(pid_t& pid, int signal);

}  // namespace binrelay::test
