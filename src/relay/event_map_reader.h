#pragma once
// event_map_reader: the events of one binlog file, read through a read-only shared memory
// mapping for serving (docs/serving.md, "How events are read and sent"). fill() makes the file
// readable up to the limit the caller gives (bytes after the relay store's end position may
// belong to a transaction that is still being written or that will be truncated); next() then
// hands out the whole events below that limit as views into the mapping: no read system call,
// no copy, no allocation per event or per block.
//
// A growing file is mapped with room to grow (the mapping may extend past the file's end; those
// pages are never touched before fill() has checked the file's size), and mapped anew, larger,
// when the limit passes that room. The pages of the next few MiB are mapped in one call
// (MADV_POPULATE_READ) instead of one page fault per 64 KiB, and those the reader has moved
// past are dropped from the mapping every few MiB (MADV_DONTNEED: the page cache keeps them, a
// view into them still reads the file's bytes), so a replica's mapping adds at most that much
// to the process's resident set (RssFile counts a page once per mapping that maps it), not the
// whole file.
//
// Event layout: binlog/event_header.h (event_size is the u32 at byte 9 of the header).
// REQUIRES: nobody truncates the file below a limit given to fill() while it is mapped (the
// relay store only truncates at recovery, before serving starts); an I/O error of the disk under
// a mapped page is a SIGBUS rather than an error.
// Not thread-safe; one per replica. The destructor unmaps and closes the file.

#include <cstdint>
#include <filesystem>
#include <string>

#include "common/bytes.h"
#include "common/result.h"

namespace binrelay::relay {

class event_map_reader {
 public:
  // Opens `path` (named `name` in errors) to read from `offset`. Errors: io_error.
  static result<event_map_reader> open(const std::filesystem::path& path, std::string name,
                                       std::uint64_t offset);

  event_map_reader(event_map_reader&& other) noexcept;
  event_map_reader& operator=(event_map_reader&& other) noexcept;
  event_map_reader(const event_map_reader&) = delete;
  event_map_reader& operator=(const event_map_reader&) = delete;
  ~event_map_reader();

  // The next whole event (header, body, checksum) below the readable limit, or an empty view
  // when none is whole: call fill(). The view lives until the next fill() or destruction.
  // Errors: corrupt (an event_size smaller than a header).
  result<bytes_view> next();
  // Makes the file readable up to `limit` (a file offset). Returns how many bytes became
  // readable: 0 when the limit was readable already. Errors: io_error (the file is shorter
  // than `limit`, or cannot be mapped).
  result<std::size_t> fill(std::uint64_t limit);
  // The next event is read at `offset` (below the readable limit, or fill() first).
  void seek(std::uint64_t offset) { offset_ = offset; }

  // The file's size now (fstat). Errors: io_error.
  result<std::uint64_t> file_size() const;
  // File offset of the event next() returns next.
  std::uint64_t offset() const { return offset_; }
  const std::string& name() const { return name_; }

 private:
  struct mapping {
    const std::uint8_t* data = nullptr;
    std::size_t size = 0;
  };

  event_map_reader(int fd, std::string name, std::uint64_t offset);
  // Maps the file anew with room past `limit`, in place of the current mapping.
  result<void> remap(std::uint64_t limit);
  void unmap();
  // Drops the mapped pages below offset_ once they are release_step_bytes or more.
  void release_passed();
  // Maps the readable pages of the next steps in one call (MADV_POPULATE_READ) rather than
  // taking a page fault every 64 KiB.
  void populate_ahead();

  int fd_ = -1;
  std::string name_;
  mapping map_;
  std::uint64_t released_ = 0;    // pages below it were dropped from the mapping
  std::uint64_t populated_ = 0;   // pages below it were populated (or never needed to be)
  std::uint64_t readable_ = 0;    // fill()'s limit: no event past it is handed out
  std::uint64_t known_size_ = 0;  // the file was at least this long at the last fstat
  std::uint64_t offset_ = 0;
};

}  // namespace binrelay::relay
