#pragma once
// Helpers for relay store tests: real fixture binlogs as event lists, a temporary store
// directory, and reading a store's files back.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "binlog/event_header.h"
#include "binlog/format_description.h"
#include "relay/relay_store.h"

namespace binrelay::test {

using event_list = std::vector<std::vector<std::uint8_t>>;

std::filesystem::path fixture_path(const std::string& name);
// Every event of a fixture file (whole events, as a primary would send them).
event_list read_events(const std::filesystem::path& path);

// A fresh directory under the build tree, removed on destruction.
struct temp_dir {
  temp_dir();
  ~temp_dir();
  std::filesystem::path path;
};

relay::store_options small_store_options(const std::filesystem::path& dir);

struct stored_event {
  std::string file;
  std::uint64_t offset = 0;
  binlog::event_header header;
  std::vector<std::uint8_t> bytes;
};
// Events of every store file in index order, up to the store's end position (each file's
// FDE, header GTIDs event and closing ROTATE included).
std::vector<stored_event> read_store(const relay::relay_store& store);
// Only the transactions' events (no FDE / PREVIOUS_GTIDS / GTID_LIST / ROTATE).
std::vector<stored_event> data_events(const std::vector<stored_event>& all);
// The data events of a fixture the store is expected to keep: every event of a complete
// transaction, in order.
event_list expected_data_events(const event_list& fixture);

// Feeds events one by one; REQUIREs success.
void feed(relay::relay_store& store, const event_list& events);

}  // namespace binrelay::test
