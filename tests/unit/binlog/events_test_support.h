#pragma once
// Helpers shared by the events_* tests: a tiny binlog walker (4-byte magic, then
// header.event_size steps) and fixture lookup.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "binlog/event_header.h"
#include "common/bytes.h"
#include "support/fixtures.h"

namespace binrelay::test {

struct walked_event {
  std::uint64_t offset = 0;
  binlog::event_header header;
  bytes_view bytes;  // whole event
};

// Every whole event of a binlog file image; stops at the first event that does not fit.
inline std::vector<walked_event> walk_events(const std::vector<std::uint8_t>& file) {
  std::vector<walked_event> out;
  std::size_t pos = 4;
  while (file.size() - pos >= binlog::event_header_size) {
    auto h = binlog::decode_event_header(bytes_view(file).subspan(pos));
    if (!h || h->event_size > file.size() - pos) break;
    out.push_back({pos, *h, bytes_view(file).subspan(pos, h->event_size)});
    pos += h->event_size;
  }
  return out;
}

inline const fixture& fixture_named(const std::string& suffix) {
  for (const auto& f : all_fixtures()) {
    if (f.name.size() >= suffix.size() &&
        f.name.compare(f.name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      return f;
    }
  }
  throw std::runtime_error("no fixture named " + suffix);
}

}  // namespace binrelay::test
