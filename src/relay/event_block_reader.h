#pragma once
// event_block_reader: the events of one binlog file, read in large blocks for serving
// (docs/serving.md, "How events are read"). fill() reads up to `block_size` bytes at once with
// one pread into a reused buffer, never past the readable limit the caller gives (bytes after
// the relay store's end position may belong to a transaction that is still being written or
// that will be truncated); next() then hands out the buffered whole events as views, without a
// system call or an allocation per event. An event larger than the block grows the buffer to
// its size.
//
// Event layout: binlog/event_header.h (event_size is the u32 at byte 9 of the header).
// Not thread-safe; one per replica. The file descriptor is closed by the destructor.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"

namespace binrelay::relay {

class event_block_reader {
 public:
  static constexpr std::size_t default_block_size = std::size_t(1) << 20;

  // Opens `path` (named `name` in errors) to read from `offset`. Errors: io_error.
  static result<event_block_reader> open(const std::filesystem::path& path, std::string name,
                                         std::uint64_t offset,
                                         std::size_t block_size = default_block_size);

  event_block_reader(event_block_reader&& other) noexcept;
  event_block_reader& operator=(event_block_reader&& other) noexcept;
  event_block_reader(const event_block_reader&) = delete;
  event_block_reader& operator=(const event_block_reader&) = delete;
  ~event_block_reader();

  // The next whole buffered event (header, body, checksum), or an empty view when the buffer
  // holds no whole event: call fill(). The view lives until the next call of next(), fill() or
  // seek(). Errors: corrupt (an event_size smaller than a header).
  result<bytes_view> next();
  // Reads the bytes after the buffered ones, up to `limit` (a file offset). Returns how many
  // were read: 0 when everything up to `limit` is buffered already. REQUIRES: next() returned
  // an empty view (the buffer holds no whole event). Errors: io_error (a read
  // error, or the file ends before `limit`).
  result<std::size_t> fill(std::uint64_t limit);
  // Drops the buffer; the next event is read at `offset`.
  void seek(std::uint64_t offset);

  // The file's size now (fstat). Errors: io_error.
  result<std::uint64_t> file_size() const;
  // File offset of the event next() returns next.
  std::uint64_t offset() const { return offset_; }
  const std::string& name() const { return name_; }

 private:
  event_block_reader(int fd, std::string name, std::uint64_t offset, std::size_t block_size);
  // Moves the unread bytes to the front and makes room for the pending event.
  void compact();

  int fd_ = -1;
  std::string name_;
  std::size_t block_size_ = default_block_size;
  std::vector<std::uint8_t> buffer_;  // buffer_[begin_, end_) holds file bytes from offset_
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  std::uint64_t offset_ = 0;
};

}  // namespace binrelay::relay
