#include "common/durable_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace binrelay {

namespace fs = std::filesystem;

namespace {

// The error for a failed system call; reads errno, so call it right after the failure.
error os_error(std::string_view what, const fs::path& path, int e = errno) {
  return make_error(errc::io_error, "cannot {} {}: {} (errno {})", what, path.string(),
                    std::strerror(e), e);
}

// Writes all of `data` (retrying short writes and EINTR) and fsyncs; closes `fd` either way.
result<void> write_and_sync(int fd, std::string_view data, unsigned mode, const fs::path& tmp) {
  result<void> r;
  if (::fchmod(fd, mode_t(mode)) != 0) r = os_error("set the mode of", tmp);
  while (r && !data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      r = os_error("write", tmp);
      break;
    }
    data.remove_prefix(std::size_t(n));
  }
  if (r && ::fsync(fd) != 0) r = os_error("fsync", tmp);
  if (::close(fd) != 0 && r) r = os_error("close", tmp);
  return r;
}

}  // namespace

result<void> write_file_durably(const fs::path& path, std::string_view content, unsigned mode) {
  fs::path tmp = path;
  tmp += ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode_t(mode));
  if (fd < 0) return os_error("create", tmp);
  if (auto w = write_and_sync(fd, content, mode, tmp); !w) {
    ::unlink(tmp.c_str());
    return w;
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int e = errno;
    ::unlink(tmp.c_str());
    return os_error("rename " + tmp.string() + " to", path, e);
  }
  fs::path dir = path.parent_path();
  return sync_directory(dir.empty() ? fs::path(".") : dir);
}

result<void> sync_directory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return os_error("open directory", dir);
  const int rc = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  if (rc != 0) return os_error("fsync directory", dir, saved);
  return {};
}

}  // namespace binrelay
