#pragma once
// source_version: the primary's server version as binrelayd last saw it in the upstream
// session's greeting (e.g. "10.11.6-MariaDB-log"), kept in DATA_DIR/source-version so that
// binrelayd announces it from startup on, before the upstream session connects and in
// serve-only mode (docs/serving.md, "The announced version"). The file holds one line.
//
// Thread-safe: remember() runs on the upstream session's executor, get() on serving threads.

#include <filesystem>
#include <mutex>
#include <string>

namespace binrelay::daemon {

class source_version {
 public:
  // Reads DATA_DIR/source-version; a missing or unreadable file means "unknown" (logged when
  // unreadable: the version then comes from the relay log until the next connect).
  explicit source_version(std::filesystem::path data_dir);

  // The remembered version; "" when unknown.
  std::string get() const;
  // Remembers `version` and, when it changed, writes it durably. A failed write is logged and
  // the version is still used until restart. Empty versions are ignored.
  void remember(const std::string& version);

  std::filesystem::path file() const { return data_dir_ / "source-version"; }

 private:
  std::filesystem::path data_dir_;
  mutable std::mutex mutex_;
  std::string version_;
};

}  // namespace binrelay::daemon
