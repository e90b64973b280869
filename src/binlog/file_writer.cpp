#include "binlog/file_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <utility>

#include "binlog/event_header.h"
#include "common/counters.h"

namespace binrelay::binlog {
namespace {

error os_error(const std::string& name, std::string_view what) {
  const int e = errno;
  return make_error(errc::io_error, "{}: {} failed: {} (errno {})", name, what, std::strerror(e),
                    e);
}

}  // namespace

file_writer::file_writer(int fd, std::string name, std::uint64_t size, file_writer_options options)
    : fd_(fd), name_(std::move(name)), options_(options), size_(size), written_(size) {
  buf_.reserve(options_.buffer_size);
}

result<file_writer> file_writer::create(const std::filesystem::path& path,
                                        file_writer_options options) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) return os_error(path.string(), "create");
  file_writer w(fd, path.filename().string(), 0, options);
  if (auto r = w.append(bytes_view(binlog_magic, sizeof binlog_magic)); !r) return r.error();
  if (auto r = w.flush(); !r) return r.error();
  return w;
}

result<file_writer> file_writer::open_existing(const std::filesystem::path& path,
                                               file_writer_options options) {
  const std::string name = path.filename().string();
  int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    return make_error(errno == ENOENT ? errc::not_found : errc::io_error, "{}: open failed: {}",
                      path.string(), std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    error e = os_error(name, "fstat");
    ::close(fd);
    return e;
  }
  file_writer w(fd, name, std::uint64_t(st.st_size), options);
  std::uint8_t magic[sizeof binlog_magic] = {};
  if (::pread(fd, magic, sizeof magic, 0) != ssize_t(sizeof magic) ||
      std::memcmp(magic, binlog_magic, sizeof magic) != 0) {
    return make_error(errc::corrupt, "{} is not a binlog file (no fe62696e magic)", name);
  }
  return w;
}

file_writer::file_writer(file_writer&& other) noexcept {
  *this = std::move(other);
}

file_writer& file_writer::operator=(file_writer&& other) noexcept {
  if (this == &other) return *this;
  if (fd_ >= 0) {
    (void)flush();
    ::close(fd_);
  }
  fd_ = std::exchange(other.fd_, -1);
  name_ = std::move(other.name_);
  options_ = other.options_;
  buf_ = std::move(other.buf_);
  size_ = other.size_;
  written_ = other.written_;
  sync_failed_ = other.sync_failed_;
  return *this;
}

file_writer::~file_writer() {
  if (fd_ >= 0) {
    (void)flush();
    ::close(fd_);
  }
}

result<void> file_writer::write_all(bytes_view data) {
  while (!data.empty()) {
    ssize_t n = ::pwrite(fd_, data.data(), data.size(), off_t(written_));
    if (n < 0) {
      if (errno == EINTR) continue;
      return make_error(errc::io_error, "{}: write at offset {} failed: {}", name_, written_,
                        std::strerror(errno));
    }
    written_ += std::uint64_t(n);
    data = data.subspan(std::size_t(n));
  }
  return {};
}

result<void> file_writer::append(bytes_view raw_event) {
  if (fd_ < 0) return make_error(errc::invalid_argument, "{}: append after close", name_);
  if (buf_.size() + raw_event.size() > options_.buffer_size) {
    if (auto r = flush(); !r) return r;
  }
  if (raw_event.size() >= options_.buffer_size) {
    if (auto r = write_all(raw_event); !r) {
      size_ = written_;  // a partial event may have reached the file: truncate_to() removes it
      return r;
    }
  } else {
    buf_.insert(buf_.end(), raw_event.begin(), raw_event.end());
  }
  size_ += raw_event.size();
  return {};
}

result<std::span<std::uint8_t>> file_writer::append_mutable(bytes_view raw_event) {
  if (fd_ < 0) return make_error(errc::invalid_argument, "{}: append after close", name_);
  if (!buf_.empty() && buf_.size() + raw_event.size() > options_.buffer_size) {
    if (auto r = flush(); !r) return r.error();
  }
  const std::size_t at = buf_.size();
  buf_.insert(buf_.end(), raw_event.begin(), raw_event.end());
  size_ += raw_event.size();
  return std::span<std::uint8_t>(buf_.data() + at, raw_event.size());
}

result<void> file_writer::flush() {
  if (buf_.empty()) return {};
  auto r = write_all(buf_);
  if (!r) {
    // What did reach the file stays counted in written_; keep only the rest buffered.
    const std::uint64_t unwritten = size_ - written_;
    buf_.erase(buf_.begin(), buf_.end() - std::ptrdiff_t(unwritten));
    return r;
  }
  buf_.clear();
  if (buf_.capacity() > 2 * options_.buffer_size) {
    // A large event was buffered alone: give the memory back.
    buf_ = std::vector<std::uint8_t>();
    buf_.reserve(options_.buffer_size);
  }
  return {};
}

result<void> file_writer::sync() {
  if (auto r = flush(); !r) return r;
  const auto started = std::chrono::steady_clock::now();
  const int rc = options_.fdatasync ? options_.fdatasync(fd_) : ::fdatasync(fd_);
  counters().fsync.observe(std::chrono::steady_clock::now() - started);
  if (rc != 0) {
    sync_failed_ = true;
    return os_error(name_, "fdatasync");
  }
  return {};
}

result<void> file_writer::truncate_to(std::uint64_t offset) {
  if (offset < sizeof binlog_magic || offset > size_) {
    return make_error(errc::invalid_argument, "{}: cannot truncate to {} (file size {})", name_,
                      offset, size_);
  }
  if (offset >= written_) {
    // The cut is in the buffer: drop its tail, never write it (it may be what failed).
    buf_.resize(std::size_t(offset - written_));
    size_ = offset;
    return {};
  }
  buf_.clear();
  if (::ftruncate(fd_, off_t(offset)) != 0) return os_error(name_, "ftruncate");
  size_ = written_ = offset;
  return {};
}

void file_writer::discard_buffered() {
  buf_.clear();
  size_ = written_;
}

result<void> file_writer::close() {
  if (fd_ < 0) return {};
  auto r = flush();
  const int rc = ::close(std::exchange(fd_, -1));
  if (!r) return r;
  if (rc != 0) return os_error(name_, "close");
  return {};
}

}  // namespace binrelay::binlog
