#include "relay/relay_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace binrelay::relay {

result<append_file> append_file::create(const std::filesystem::path& path, bool exclusive) {
  int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC);
  int fd = ::open(path.c_str(), flags, 0640);
  if (fd < 0) {
    return make_error(errc::io_error, "cannot create {}: {}", path.string(), std::strerror(errno));
  }
  return append_file(fd, path, 0);
}

result<append_file> append_file::open_existing(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    return make_error(errc::io_error, "cannot open {}: {}", path.string(), std::strerror(errno));
  }
  off_t end = ::lseek(fd, 0, SEEK_END);
  if (end < 0) {
    int saved = errno;
    ::close(fd);
    return make_error(errc::io_error, "cannot seek {}: {}", path.string(), std::strerror(saved));
  }
  return append_file(fd, path, std::uint64_t(end));
}

append_file::append_file(append_file&& other) noexcept
    : fd_(other.fd_), path_(std::move(other.path_)), size_(other.size_) {
  other.fd_ = -1;
}

append_file& append_file::operator=(append_file&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = other.fd_;
    path_ = std::move(other.path_);
    size_ = other.size_;
    other.fd_ = -1;
  }
  return *this;
}

error append_file::os_error(std::string_view what) const {
  return make_error(errc::io_error, "cannot {} {}: {}", what, path_.string(), std::strerror(errno));
}

result<void> append_file::write(bytes_view data) {
  while (!data.empty()) {
    ssize_t n = ::pwrite(fd_, data.data(), data.size(), off_t(size_));
    if (n < 0) {
      if (errno == EINTR) continue;
      return os_error("write to");
    }
    size_ += std::uint64_t(n);
    data = data.subspan(std::size_t(n));
  }
  return {};
}

result<void> append_file::sync() {
  if (::fdatasync(fd_) != 0) return os_error("fdatasync");
  return {};
}

result<void> append_file::truncate(std::uint64_t new_size) {
  if (::ftruncate(fd_, off_t(new_size)) != 0) return os_error("truncate");
  size_ = new_size;
  return {};
}

void append_file::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

}  // namespace binrelay::relay
