#include "relay/event_map_reader.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "binlog/event_header.h"

namespace binrelay::relay {
namespace {

constexpr std::uint64_t min_room = std::uint64_t(16) << 20;
constexpr std::uint64_t max_room = std::uint64_t(1) << 30;
constexpr std::uint64_t release_step_bytes = std::uint64_t(4) << 20;

std::uint64_t page_size() {
  static const std::uint64_t page = std::uint64_t(::sysconf(_SC_PAGESIZE));
  return page;
}

// Mapping size for a readable limit: the limit plus room to grow (as much again, 16 MiB to
// 1 GiB), whole pages. Address space only: pages past the file's end are never touched.
std::size_t mapping_size(std::uint64_t limit) {
  std::uint64_t size = limit + std::clamp(limit, min_room, max_room);
  return std::size_t((size + page_size() - 1) / page_size() * page_size());
}

}  // namespace

result<event_map_reader> event_map_reader::open(const std::filesystem::path& path, std::string name,
                                                std::uint64_t offset) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return make_error(errc::io_error, "cannot open {}: {}", path.string(), std::strerror(errno));
  }
  return event_map_reader(fd, std::move(name), offset);
}

event_map_reader::event_map_reader(int fd, std::string name, std::uint64_t offset)
    : fd_(fd), name_(std::move(name)), offset_(offset) {}

event_map_reader::event_map_reader(event_map_reader&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      name_(std::move(other.name_)),
      map_(std::exchange(other.map_, {})),
      released_(other.released_),
      populated_(other.populated_),
      readable_(other.readable_),
      known_size_(other.known_size_),
      offset_(other.offset_) {}

event_map_reader& event_map_reader::operator=(event_map_reader&& other) noexcept {
  if (this != &other) {
    unmap();
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    name_ = std::move(other.name_);
    map_ = std::exchange(other.map_, {});
    released_ = other.released_;
    populated_ = other.populated_;
    readable_ = other.readable_;
    known_size_ = other.known_size_;
    offset_ = other.offset_;
  }
  return *this;
}

event_map_reader::~event_map_reader() {
  unmap();
  if (fd_ >= 0) ::close(fd_);
}

void event_map_reader::unmap() {
  if (map_.data) ::munmap(const_cast<std::uint8_t*>(map_.data), map_.size);
  map_ = {};
}

result<bytes_view> event_map_reader::next() {
  if (offset_ >= readable_ || readable_ - offset_ < binlog::event_header_size) {
    return bytes_view();
  }
  const std::uint8_t* at = map_.data + offset_;
  std::size_t size = load_u32(at + binlog::event_size_offset);
  if (size < binlog::event_header_size) {
    return make_error(errc::corrupt, "{} at {}: event_size {} is smaller than an event header",
                      name_, offset_, size);
  }
  if (readable_ - offset_ < size) return bytes_view();
  if (offset_ >= released_ + release_step_bytes) release_passed();
  if (offset_ + release_step_bytes > populated_) populate_ahead();
  offset_ += size;
  return bytes_view(at, size);
}

void event_map_reader::populate_ahead() {
  std::uint64_t page = page_size();
  std::uint64_t begin = std::max(populated_, offset_ / page * page);
  std::uint64_t end = std::min(offset_ + 2 * release_step_bytes, readable_);
  end = std::min<std::uint64_t>((end + page - 1) / page * page, map_.size);
  if (end > begin) {
    // Best effort: without it (kernels before 5.14) the pages fault in as they are read.
    ::madvise(const_cast<std::uint8_t*>(map_.data) + begin, std::size_t(end - begin),
              MADV_POPULATE_READ);
  }
  populated_ = std::max(end, offset_ + release_step_bytes);
}

void event_map_reader::release_passed() {
  std::uint64_t end = std::min<std::uint64_t>(offset_, map_.size) / page_size() * page_size();
  if (end <= released_) return;
  ::madvise(const_cast<std::uint8_t*>(map_.data) + released_, std::size_t(end - released_),
            MADV_DONTNEED);
  released_ = end;
}

result<std::size_t> event_map_reader::fill(std::uint64_t limit) {
  if (limit <= readable_) return std::size_t(0);
  if (limit > known_size_) {
    auto size = file_size();
    if (!size) return std::move(size).error();
    known_size_ = *size;
    if (limit > known_size_) {
      return make_error(errc::io_error, "{}: the file ends at {}, before {}", name_, known_size_,
                        limit);
    }
  }
  if (limit > map_.size) {
    if (auto r = remap(limit); !r) return r.error();
  }
  std::size_t got = std::size_t(limit - readable_);
  readable_ = limit;
  return got;
}

result<void> event_map_reader::remap(std::uint64_t limit) {
  std::size_t size = mapping_size(limit);
  void* p = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd_, 0);
  if (p == MAP_FAILED) {
    return make_error(errc::io_error, "{}: cannot map {} bytes: {}", name_, size,
                      std::strerror(errno));
  }
  unmap();
  map_ = {static_cast<const std::uint8_t*>(p), size};
  released_ = 0;
  populated_ = 0;
  return {};
}

result<std::uint64_t> event_map_reader::file_size() const {
  struct stat st {};
  if (::fstat(fd_, &st) != 0) {
    return make_error(errc::io_error, "cannot stat {}: {}", name_, std::strerror(errno));
  }
  return std::uint64_t(st.st_size);
}

}  // namespace binrelay::relay
