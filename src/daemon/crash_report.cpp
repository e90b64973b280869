#include "daemon/crash_report.h"

#include <execinfo.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <csignal>
#include <cstring>
#include <vector>

namespace binrelay::daemon {

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool sanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool sanitized = true;
#else
constexpr bool sanitized = false;
#endif
#else
constexpr bool sanitized = false;
#endif

constexpr std::array fatal_signals{SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};

// Only async-signal-safe calls below: write(2), backtrace_symbols_fd (backtrace() was called
// once at install, so it does not load libgcc from here), raise.
void write_text(const char* text) {
  ssize_t ignored = ::write(STDERR_FILENO, text, std::strlen(text));
  (void)ignored;
}

void on_fatal_signal(int signo) {
  write_text("binrelayd: fatal signal ");
  write_text(sigabbrev_np(signo) ? sigabbrev_np(signo) : "?");
  write_text(
      "; this is a bug, please report it with the lines below. The relay log recovers "
      "at the next start. Backtrace:\n");
  std::array<void*, 64> frames{};
  int n = ::backtrace(frames.data(), static_cast<int>(frames.size()));
  ::backtrace_symbols_fd(frames.data(), n, STDERR_FILENO);
  ::raise(signo);  // SA_RESETHAND restored the default action
}

}  // namespace

void install_crash_report() {
  if (sanitized) return;
  std::array<void*, 1> warm{};
  (void)::backtrace(warm.data(), 1);
  // Its own stack, so a stack overflow is reported too.
  static std::vector<char> alt_stack(std::max<std::size_t>(SIGSTKSZ, 64 * 1024));
  stack_t ss{};
  ss.ss_sp = alt_stack.data();
  ss.ss_size = alt_stack.size();
  ::sigaltstack(&ss, nullptr);
  struct sigaction sa {};
  sa.sa_handler = on_fatal_signal;
  sa.sa_flags = SA_RESETHAND | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  for (int s : fatal_signals) ::sigaction(s, &sa, nullptr);
}

}  // namespace binrelay::daemon
