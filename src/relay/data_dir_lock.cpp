#include "relay/data_dir_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

#include <fmt/format.h>

namespace binrelay::relay {
namespace {

// What the holder wrote ("1234 binrelayd"), trimmed; "unknown" when empty.
std::string holder_of(int fd) {
  char buf[128] = {};
  ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
  std::string text(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text.empty() ? "unknown" : text;
}

}  // namespace

result<data_dir_lock> data_dir_lock::acquire(const std::filesystem::path& dir,
                                             std::string_view program) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    return make_error(errc::io_error, "cannot create data directory '{}': {}", dir.string(),
                      ec.message());
  auto path = dir / file_name;
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return make_error(errc::io_error, "cannot open '{}': {}", path.string(), std::strerror(errno));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    std::string holder = holder_of(fd);
    ::close(fd);
    if (err == EWOULDBLOCK) {
      return make_error(errc::invalid_argument,
                        "data directory '{}' is in use by another process (pid and program: {}; "
                        "lock file {}); only one binrelayd or binrelay-import may use it at a time",
                        dir.string(), holder, path.string());
    }
    return make_error(errc::io_error, "cannot lock '{}': {}", path.string(), std::strerror(err));
  }
  std::string text = fmt::format("{} {}\n", ::getpid(), program);
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, text.data(), text.size(), 0) < 0) {
    int err = errno;
    ::close(fd);
    return make_error(errc::io_error, "cannot write '{}': {}", path.string(), std::strerror(err));
  }
  return data_dir_lock(fd, std::move(path));
}

data_dir_lock::data_dir_lock(data_dir_lock&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)) {}

data_dir_lock& data_dir_lock::operator=(data_dir_lock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    path_ = std::move(other.path_);
  }
  return *this;
}

data_dir_lock::~data_dir_lock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace binrelay::relay
