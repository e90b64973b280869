#pragma once
// failure_report: what the IO thread (upstream_session.h) shows and logs for a run of failed
// attempts. docs/operations.md, "Retries".
//   - Last_IO_Errno / Last_IO_Error take the first failure of a run: a later one is often its
//     consequence (a retry after ENOSPC once failed with "Rotate inside a transaction").
//     Only a refusal by the source (failure_kind::permanent) replaces it: that is what the
//     operator must act on now. The run ends when an attempt makes progress.
//   - A failure is logged when it differs from the last one logged; errors that differ only
//     in numbers (offsets, positions) are the same error.
// Sans-I/O; not thread-safe (owned by one session).

#include <cstdint>
#include <string>
#include <string_view>

#include "relay/retry_backoff.h"

namespace binrelay::relay {

class failure_report {
 public:
  struct decision {
    bool set_status = false;  // replace Last_IO_Errno / Last_IO_Error
    bool log = false;         // write the error line
  };

  decision on_failure(std::uint32_t errno_value, std::string_view text, failure_kind kind);
  // An attempt made progress: the run of failures is over.
  void on_progress() { failing_ = false; }

 private:
  bool failing_ = false;
  std::string last_logged_;  // errno and text of the last logged error, without digits
};

}  // namespace binrelay::relay
