#include "daemon/source_version.h"

#include <fstream>
#include <system_error>

#include "common/log.h"
#include "relay/source_settings.h"

namespace binrelay::daemon {

source_version::source_version(std::filesystem::path data_dir) : data_dir_(std::move(data_dir)) {
  std::error_code ec;
  if (!std::filesystem::exists(file(), ec)) return;
  std::ifstream in(file());
  if (!in || !std::getline(in, version_)) {
    log::warn(
        "cannot read {}; the announced version follows the relay log until the primary "
        "is reached",
        file().string());
    version_.clear();
  }
}

std::string source_version::get() const {
  std::lock_guard lock(mutex_);
  return version_;
}

void source_version::remember(const std::string& version) {
  if (version.empty()) return;
  {
    std::lock_guard lock(mutex_);
    if (version == version_) return;
    version_ = version;
  }
  if (auto w = write_file_durably(file(), version + "\n"); !w) {
    log::warn("cannot save the primary's version in {}: {}", file().string(), w.error().describe());
  }
}

}  // namespace binrelay::daemon
