#pragma once
// Durable whole-file replacement for small state files (the relay log index, source.conf,
// server-uuid, ...): after a crash at any point the file holds either its old content or the
// new one, never a mix, and a completed replacement survives.
//
// How: the content goes to `<path>.tmp` (created or truncated, given `mode`), which is
// fsync'd and renamed over `path`; then the directory is fsync'd so the rename itself is
// durable. A stale `<path>.tmp` from an earlier crash is overwritten.
//
// Free functions; not safe to call concurrently for the same path (the callers serialise).
// Errors are io_error and name the file, the operation and the OS reason (strerror, errno).

#include <filesystem>
#include <string_view>

#include "common/result.h"

namespace binrelay {

// Replaces `path` with `content` as described above. REQUIRES: the directory exists.
result<void> write_file_durably(const std::filesystem::path& path, std::string_view content,
                                unsigned mode = 0644);

// fsync of a directory: makes file creations, renames and deletions in it durable.
result<void> sync_directory(const std::filesystem::path& dir);

}  // namespace binrelay
