#pragma once
// file_writer: appends raw events to a binlog (or relay log) file. Writes are buffered
// (options.buffer_size); an event larger than the buffer is written straight through.
// It does not look inside events: the caller supplies whole events (header, body, checksum)
// in file order, the first being a FORMAT_DESCRIPTION. Format: docs/formats.md,
// "Binlog files and transaction payloads".
//
// Durability: append() may leave bytes in memory; flush() hands them to the OS; sync() also
// fdatasyncs. A crash loses what was not synced — readers find the tail with
// file_reader::good_end_offset() and truncate_to() it.
//
// The destructor flushes but cannot report a failure: call close() to see it.
// Not thread-safe; movable, not copyable.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"

namespace binrelay::binlog {

struct file_writer_options {
  std::size_t buffer_size = std::size_t(1) << 20;
  // What sync() calls instead of fdatasync(2) when set: a test hook that injects failures
  // (return -1 with errno set). Called on the writer's thread.
  std::function<int(int fd)> fdatasync{};
};

class file_writer {
 public:
  // Creates a new file holding just the 4-byte magic. Fails (io_error) if it exists.
  static result<file_writer> create(const std::filesystem::path& path,
                                    file_writer_options options = {});
  // Opens an existing binlog file to append at its end; checks its magic (corrupt if wrong).
  static result<file_writer> open_existing(const std::filesystem::path& path,
                                           file_writer_options options = {});

  file_writer(file_writer&& other) noexcept;
  file_writer& operator=(file_writer&& other) noexcept;
  file_writer(const file_writer&) = delete;
  file_writer& operator=(const file_writer&) = delete;
  ~file_writer();

  // Appends one whole event (or any bytes). Its file offset is size() before the call.
  result<void> append(bytes_view raw_event);
  // Appends like append(), always through the buffer (an event larger than it is buffered
  // alone), and returns the buffered copy: the caller may patch it (header fields, checksum)
  // until the next call on this writer. Saves a copy when events are rewritten on the way in.
  result<std::span<std::uint8_t>> append_mutable(bytes_view raw_event);
  // Writes buffered bytes to the OS.
  result<void> flush();
  // flush() then fdatasync().
  result<void> sync();
  // Cuts the file to `offset` bytes (>= 4, <= size()); appends continue there. Buffered
  // bytes past `offset` are dropped without being written, so a cut after a failed write
  // (ENOSPC) does not write again.
  result<void> truncate_to(std::uint64_t offset);
  // Drops the bytes not yet handed to the OS (after a failed write): size() becomes what the
  // file holds, which may end inside an event.
  void discard_buffered();
  // Flushes and closes; the writer is unusable afterwards.
  result<void> close();

  // A sync() failed: what the file holds on disk is unknown (the kernel may have dropped the
  // dirty pages), so its contents as read back prove nothing until it is reopened after a crash.
  bool sync_failed() const { return sync_failed_; }
  // Bytes in the file once buffered bytes are flushed (magic included).
  std::uint64_t size() const { return size_; }
  const std::string& name() const { return name_; }

 private:
  file_writer(int fd, std::string name, std::uint64_t size, file_writer_options options);
  result<void> write_all(bytes_view data);

  int fd_ = -1;
  std::string name_;
  file_writer_options options_;
  std::vector<std::uint8_t> buf_;
  std::uint64_t size_ = 0;     // logical size, buffered bytes included
  std::uint64_t written_ = 0;  // bytes handed to the OS
  bool sync_failed_ = false;
};

}  // namespace binrelay::binlog
