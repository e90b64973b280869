#pragma once
// DATA_DIR/sources.list: the learnt source list, so a restart knows the group before it can
// reach the member it was told about, and which server the relay log last came from
// (docs/failover.md, "State on disk"). One "key = value" line each:
//   group_name = <uuid>
//   current = HOST:PORT <server id: a MySQL uuid or "server_id N">
//   source = HOST:PORT WEIGHT configured|group member|- [UUID STATE ROLE]
// Written atomically and durably (common/durable_file.h) whenever the list changes.
// Not thread-safe; the IO thread calls it.

#include <filesystem>
#include <optional>

#include "common/result.h"
#include "relay/source_list.h"

namespace binrelay::relay {

// nullopt when the file does not exist. Errors: io_error, corrupt (naming file and line).
result<std::optional<source_list_snapshot>> load_source_list(const std::filesystem::path& dir);
result<void> save_source_list(const std::filesystem::path& dir, const source_list_snapshot& s);

}  // namespace binrelay::relay
