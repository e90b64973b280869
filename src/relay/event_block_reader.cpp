#include "relay/event_block_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "binlog/event_header.h"

namespace binrelay::relay {
namespace {

constexpr std::size_t event_size_offset = 9;  // event_size u32 in the v4 header

}  // namespace

result<event_block_reader> event_block_reader::open(const std::filesystem::path& path,
                                                    std::string name, std::uint64_t offset,
                                                    std::size_t block_size) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return make_error(errc::io_error, "cannot open {}: {}", path.string(), std::strerror(errno));
  }
  return event_block_reader(fd, std::move(name), offset, std::max(block_size, std::size_t(64)));
}

event_block_reader::event_block_reader(int fd, std::string name, std::uint64_t offset,
                                       std::size_t block_size)
    : fd_(fd), name_(std::move(name)), block_size_(block_size), offset_(offset) {}

event_block_reader::event_block_reader(event_block_reader&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      name_(std::move(other.name_)),
      block_size_(other.block_size_),
      buffer_(std::move(other.buffer_)),
      begin_(other.begin_),
      end_(other.end_),
      offset_(other.offset_) {}

event_block_reader& event_block_reader::operator=(event_block_reader&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    name_ = std::move(other.name_);
    block_size_ = other.block_size_;
    buffer_ = std::move(other.buffer_);
    begin_ = other.begin_;
    end_ = other.end_;
    offset_ = other.offset_;
  }
  return *this;
}

event_block_reader::~event_block_reader() {
  if (fd_ >= 0) ::close(fd_);
}

result<bytes_view> event_block_reader::next() {
  std::size_t buffered = end_ - begin_;
  if (buffered < binlog::event_header_size) return bytes_view();
  const std::uint8_t* at = buffer_.data() + begin_;
  std::size_t size = load_u32(at + event_size_offset);
  if (size < binlog::event_header_size) {
    return make_error(errc::corrupt, "{} at {}: event_size {} is smaller than an event header",
                      name_, offset_, size);
  }
  if (buffered < size) return bytes_view();
  begin_ += size;
  offset_ += size;
  return bytes_view(at, size);
}

void event_block_reader::compact() {
  std::size_t buffered = end_ - begin_;
  if (begin_ > 0 && buffered > 0) std::memmove(buffer_.data(), buffer_.data() + begin_, buffered);
  begin_ = 0;
  end_ = buffered;
  std::size_t wanted = block_size_;
  if (buffered >= binlog::event_header_size) {
    wanted = std::max<std::size_t>(wanted, load_u32(buffer_.data() + event_size_offset));
  }
  if (buffer_.size() < wanted) buffer_.resize(wanted);
}

result<std::size_t> event_block_reader::fill(std::uint64_t limit) {
  std::uint64_t buffered_end = offset_ + (end_ - begin_);
  if (limit <= buffered_end) return std::size_t(0);
  compact();
  std::size_t room = buffer_.size() - end_;
  std::size_t want = std::size_t(std::min<std::uint64_t>(room, limit - buffered_end));
  std::size_t got = 0;
  while (got < want) {
    ssize_t n = ::pread(fd_, buffer_.data() + end_ + got, want - got, off_t(buffered_end + got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      return make_error(errc::io_error, "{}: cannot read at {}: {}", name_, buffered_end + got,
                        std::strerror(errno));
    }
    if (n == 0) {
      return make_error(errc::io_error, "{}: the file ends at {}, before {}", name_,
                        buffered_end + got, limit);
    }
    got += std::size_t(n);
  }
  end_ += got;
  return got;
}

void event_block_reader::seek(std::uint64_t offset) {
  begin_ = end_ = 0;
  offset_ = offset;
}

result<std::uint64_t> event_block_reader::file_size() const {
  struct stat st {};
  if (::fstat(fd_, &st) != 0) {
    return make_error(errc::io_error, "cannot stat {}: {}", name_, std::strerror(errno));
  }
  return std::uint64_t(st.st_size);
}

}  // namespace binrelay::relay
