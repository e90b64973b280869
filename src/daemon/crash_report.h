#pragma once
// A fatal signal (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT) writes one line naming it and a
// backtrace to stderr (the log file with --log-file), then ends the process with the same
// signal, so a core dump and the exit status stay what they would have been. The relay log
// recovers at the next start (docs/relay-store.md); the report is for the bug report.
//
// Not installed in sanitizer builds, whose own reports are better.

namespace binrelay::daemon {

// Call once, early in main(), before other threads start.
void install_crash_report();

}  // namespace binrelay::daemon
