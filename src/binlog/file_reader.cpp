#include "binlog/file_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

namespace binrelay::binlog {
namespace {

constexpr std::size_t magic_size = 4;

result<std::size_t> pread_some(int fd, std::uint8_t* dst, std::size_t n, std::uint64_t offset,
                               const std::string& name) {
  for (;;) {
    ssize_t got = ::pread(fd, dst, n, off_t(offset));
    if (got >= 0) return std::size_t(got);
    if (errno == EINTR) continue;
    return make_error(errc::io_error, "{}: read at offset {} failed: {}", name, offset,
                      std::strerror(errno));
  }
}

result<void> check_magic(int fd, const std::string& name) {
  std::uint8_t magic[magic_size] = {};
  std::size_t have = 0;
  while (have < magic_size) {
    auto got = pread_some(fd, magic + have, magic_size - have, have, name);
    if (!got) return got.error();
    if (*got == 0) break;
    have += *got;
  }
  if (have < magic_size) {
    return make_error(errc::truncated,
                      "{}: file is {} bytes long, too short for the 4-byte binlog magic", name,
                      have);
  }
  if (std::memcmp(magic, binlog_magic, magic_size) == 0) return {};
  if (std::memcmp(magic, encrypted_binlog_magic, magic_size) == 0) {
    return make_error(errc::encrypted, "binlog file {} is encrypted (MySQL 8.0 keyring)", name);
  }
  return make_error(errc::corrupt, "{} is not a binlog file: it starts with {}, not fe62696e", name,
                    to_hex(bytes_view(magic, magic_size)));
}

}  // namespace

bytes_view raw_event::body(const format_description& fde) const {
  const std::size_t header = std::max<std::size_t>(event_header_size, fde.header_length);
  const std::size_t trailer = fde.checksum_length();
  if (bytes.size() < header + trailer) return {};
  return bytes.subspan(header, bytes.size() - header - trailer);
}

result<file_reader> file_reader::open(const std::filesystem::path& path,
                                      file_reader_options options) {
  std::string name = path.filename().string();
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return make_error(errno == ENOENT ? errc::not_found : errc::io_error, "{}: cannot open: {}",
                      path.string(), std::strerror(errno));
  }
  file_reader reader(fd, std::move(name), options);
  if (auto r = check_magic(fd, reader.name_); !r) return r.error();
  return reader;
}

file_reader::file_reader(int fd, std::string name, file_reader_options options)
    : fd_(fd),
      name_(std::move(name)),
      options_(options),
      stream_(event_stream_options{options.verify_checksums, options.assume_mariadb}) {
  if (options_.buffer_size < 4096) options_.buffer_size = 4096;
}

file_reader::file_reader(file_reader&& other) noexcept {
  *this = std::move(other);
}

file_reader& file_reader::operator=(file_reader&& other) noexcept {
  if (this == &other) return *this;
  if (fd_ >= 0) ::close(fd_);
  fd_ = std::exchange(other.fd_, -1);
  name_ = std::move(other.name_);
  options_ = other.options_;
  stream_ = std::move(other.stream_);
  buf_ = std::move(other.buf_);
  begin_ = other.begin_;
  end_ = other.end_;
  pos_ = other.pos_;
  good_end_ = other.good_end_;
  final_error_ = std::move(other.final_error_);
  skipped_ = std::move(other.skipped_);
  return *this;
}

file_reader::~file_reader() {
  if (fd_ >= 0) ::close(fd_);
}

result<std::size_t> file_reader::fill(std::size_t n) {
  if (buffered() >= n) return buffered();
  const std::size_t want_capacity = std::max({n, options_.buffer_size, buffered()});
  if (buf_.size() != want_capacity && (buf_.size() < n || buf_.size() > 2 * want_capacity)) {
    // Grow for a large event, or give memory back after one.
    std::vector<std::uint8_t> next(want_capacity);
    if (buffered() > 0) std::memcpy(next.data(), buf_.data() + begin_, buffered());
    end_ = buffered();
    begin_ = 0;
    buf_ = std::move(next);
  } else if (buf_.size() - begin_ < n) {
    std::memmove(buf_.data(), buf_.data() + begin_, buffered());
    end_ = buffered();
    begin_ = 0;
  }
  while (buffered() < n) {
    auto got = pread_some(fd_, buf_.data() + end_, buf_.size() - end_, pos_ + buffered(), name_);
    if (!got) return got.error();
    if (*got == 0) break;
    end_ += *got;
  }
  return buffered();
}

error file_reader::where(const event_header& h, std::uint64_t offset, error e) const {
  e.message = fmt::format("{}: event at offset {} ({}, {} bytes) {}", name_, offset,
                          event_type_label(h.type), h.event_size, e.message);
  return e;
}

result<std::optional<raw_event>> file_reader::frame(bool need_body) {
  for (;;) {
    if (final_error_) return *final_error_;
    auto got = fill(event_header_size);
    if (!got) return got.error();
    if (*got == 0) return std::optional<raw_event>{};
    if (*got < event_header_size) {
      return make_error(errc::truncated,
                        "{}: file ends inside the event header at offset {} ({} of {} bytes)",
                        name_, pos_, *got, event_header_size);
    }
    const std::uint64_t offset = pos_;
    result<event_header> h =
        decode_event_header(bytes_view(buf_.data() + begin_, event_header_size));
    if (!h) {
      final_error_ = make_error(h.error().code, "{}: event at offset {}: {}", name_, offset,
                                h.error().message);
      return *final_error_;
    }
    if (h->event_size > options_.max_event_size) {
      final_error_ = where(
          *h, offset,
          make_error(errc::too_large, "is larger than the {}-byte limit", options_.max_event_size));
      return *final_error_;
    }
    if (auto r = stream_.accept_header(*h); !r) {
      final_error_ = where(*h, offset, r.error());
      return *final_error_;
    }
    raw_event ev{*h, offset, {}};
    if (need_body || stream_.needs_body(*h)) {
      got = fill(h->event_size);
      if (!got) return got.error();
      if (*got < h->event_size) {
        return where(
            *h, offset,
            make_error(errc::truncated, "is truncated: the file ends after {} of its bytes", *got));
      }
      ev.bytes = bytes_view(buf_.data() + begin_, h->event_size);
      if (auto r = stream_.accept_body(*h, ev.bytes); !r) {
        error e = where(*h, offset, r.error());
        if (e.code != errc::checksum_mismatch) {
          final_error_ = e;
          return e;
        }
        begin_ += h->event_size;
        pos_ += h->event_size;
        if (!options_.skip_bad_events) return e;
        skipped_.push_back(std::move(e));
        continue;
      }
      begin_ += h->event_size;
    } else if (buffered() >= h->event_size) {
      begin_ += h->event_size;
    } else {
      struct stat st {};
      if (::fstat(fd_, &st) != 0) {
        return make_error(errc::io_error, "{}: fstat failed: {}", name_, std::strerror(errno));
      }
      if (std::uint64_t(st.st_size) < offset + h->event_size) {
        return where(
            *h, offset,
            make_error(errc::truncated, "is truncated: the file ends after {} of its bytes",
                       std::uint64_t(st.st_size) - offset));
      }
      begin_ = end_ = 0;
    }
    pos_ += h->event_size;
    good_end_ = pos_;
    return std::optional<raw_event>{ev};
  }
}

result<std::optional<raw_event>> file_reader::next() {
  return frame(true);
}

result<std::optional<event_position>> file_reader::next_header() {
  auto ev = frame(false);
  if (!ev) return std::move(ev).error();
  if (!*ev) return std::optional<event_position>{};
  return std::optional<event_position>{event_position{(*ev)->header, (*ev)->offset}};
}

result<void> file_reader::seek(std::uint64_t offset) {
  if (offset < magic_size) {
    return make_error(errc::invalid_argument,
                      "{}: cannot seek to offset {}, inside the binlog magic", name_, offset);
  }
  pos_ = good_end_ = offset;
  begin_ = end_ = 0;
  final_error_.reset();
  return {};
}

}  // namespace binrelay::binlog
