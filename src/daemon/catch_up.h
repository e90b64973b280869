#pragma once
// catch_up: the progress line binrelayd logs every --progress-interval (10 s) for each reader of
// the relay log (the applier, each downstream replica) that is behind its end: where it is, how far
// behind, how fast it reads, and the time left at that pace; one "caught up" line when it gets
// there. Silent while a reader stays within `min_behind_bytes` of the end (docs/operations.md,
// "What the log says").
//
// Positions are turned into bytes over all files by their sizes; a file's size is remembered
// after it was purged, so purges do not disturb the rate. Pure: the caller samples and logs.
// Not thread-safe: one sampler.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "relay/relay_store_types.h"

namespace binrelay::daemon {

class catch_up_tracker {
 public:
  static constexpr std::uint64_t min_behind_bytes = 1 << 20;

  // Learns the current files and the end of the store (call once per round, first).
  void observe_store(const std::vector<relay::file_info>& files, const relay::log_position& end);

  // The line for reader `key` (named `label` in it) at `position`, `now`; nullopt when it has
  // nothing to say (within reach of the end, or first sample of a reader).
  std::optional<std::string> sample(const std::string& key, const std::string& label,
                                    const relay::log_position& position,
                                    std::chrono::steady_clock::time_point now);

  // Forgets readers not sampled since the previous call (disconnected replicas).
  void end_round();

 private:
  struct reader {
    std::uint64_t offset = 0;  // absolute, over all files
    std::uint64_t end = 0;     // the store's end at the same time
    std::chrono::steady_clock::time_point at;
    bool reported = false;  // a catching-up line was logged and no "caught up" yet
    bool seen = false;      // sampled this round
  };
  // Absolute byte offset of `p`; nullopt for a file of unknown size before it.
  std::optional<std::uint64_t> absolute(const relay::log_position& p) const;

  std::map<std::uint64_t, std::uint64_t> sizes_;  // file number -> size
  std::map<std::string, std::uint64_t> numbers_;  // file name -> number
  std::uint64_t end_ = 0;
  std::map<std::string, reader> readers_;
};

}  // namespace binrelay::daemon
