#pragma once
// file_reader: reads a binlog (or relay log) file event by event with bounded memory.
// The file is read in large chunks into one buffer (options.buffer_size); the buffer grows
// only to hold an event larger than itself (up to options.max_event_size) and shrinks back
// afterwards. Every event goes through event_stream (event_stream.h): FDE tracking, CRC32
// verification, encryption and legacy-format detection.
// Format: docs/formats.md, "Binlog files and transaction payloads".
//
// Errors carry where: "mysql-bin.000003: event at offset 1234 (Write_rows_v2, 8123 bytes)
// fails its CRC32 check: stored 0x..., computed 0x...". What the reader does after an error:
//   checksum_mismatch — it has moved past the bad event; next() continues with the following
//                       one (or set options.skip_bad_events to have next() do so itself);
//   truncated         — the file ends inside an event: the reader stays at that event's start
//                       and next() retries (a file being appended to may have grown);
//   anything else     — final: next() returns the same error again.
//
// Lifetime: spans in a returned raw_event point into the reader's buffer and are valid until
// the next call of next(), next_header() or seek(). Not thread-safe; movable, not copyable.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "binlog/event_header.h"
#include "binlog/event_stream.h"
#include "binlog/format_description.h"
#include "common/bytes.h"
#include "common/result.h"

namespace binrelay::binlog {

struct file_reader_options {
  std::size_t buffer_size = std::size_t(4) << 20;
  // Events claiming more than this are corrupt (MySQL's max_allowed_packet ceiling is 1 GiB).
  std::size_t max_event_size = std::size_t(1) << 30;
  bool verify_checksums = true;
  // Skip events whose CRC32 fails instead of returning the error; they are listed in skipped().
  bool skip_bad_events = false;
  // Flavour of the default FDE for a file that has none.
  bool assume_mariadb = false;
};

struct raw_event {
  event_header header;
  std::uint64_t offset = 0;  // file offset of the event's first byte
  bytes_view bytes;          // the whole event: header, body, checksum
  // The body between the header and the checksum, as decoders take it. The header is 19
  // bytes, or fde.header_length when larger (Google's patched 5.1 wrote 23-byte headers).
  bytes_view body(const format_description& fde) const;
};

// An event seen by the header-only scan.
struct event_position {
  event_header header;
  std::uint64_t offset = 0;
};

class file_reader {
 public:
  // Opens the file and checks its magic: errc::encrypted for MySQL 8.0 encrypted binlogs
  // (magic fd 62 69 6e), errc::corrupt "not a binlog file" for anything else, truncated for
  // a file shorter than 4 bytes, io_error when it cannot be opened.
  static result<file_reader> open(const std::filesystem::path& path,
                                  file_reader_options options = {});

  file_reader(file_reader&& other) noexcept;
  file_reader& operator=(file_reader&& other) noexcept;
  file_reader(const file_reader&) = delete;
  file_reader& operator=(const file_reader&) = delete;
  ~file_reader();

  // The next event, or nullopt at a clean end of file (the last event ended at the file end).
  result<std::optional<raw_event>> next();

  // Header-only fast path: the next event's header and offset without copying its body
  // (bodies larger than what is buffered are skipped with a seek). Checksums are verified
  // only when options.verify_checksums is set, which reads bodies again — turn it off for speed.
  // FDEs are always read whole. May be mixed with next().
  result<std::optional<event_position>> next_header();

  // Moves to `offset` (an event start, >= 4). The current FDE is kept, so read the FDE first.
  result<void> seek(std::uint64_t offset);

  const format_description& format() const { return stream_.format(); }
  bool has_format_description() const { return stream_.has_format_description(); }
  // Offset of the next event to read.
  std::uint64_t position() const { return pos_; }
  // End of the last event returned whole and intact (4 before the first): the length to
  // which a crash-damaged file can be truncated.
  std::uint64_t good_end_offset() const { return good_end_; }
  // The file name used in messages (no directory).
  const std::string& name() const { return name_; }
  // Bytes of read buffer held now: options.buffer_size, more only while an event needs it.
  std::size_t buffer_capacity() const { return buf_.size(); }
  // Events skipped under options.skip_bad_events, with their errors.
  const std::vector<error>& skipped() const { return skipped_; }

 private:
  file_reader(int fd, std::string name, file_reader_options options);

  // Makes at least `n` bytes available at pos_ (fewer only at end of file).
  result<std::size_t> fill(std::size_t n);
  // Frames the event at pos_: its header, and its whole bytes when `need_body`.
  result<std::optional<raw_event>> frame(bool need_body);
  error where(const event_header& h, std::uint64_t offset, error e) const;
  std::size_t buffered() const { return end_ - begin_; }

  int fd_ = -1;
  std::string name_;
  file_reader_options options_;
  event_stream stream_;
  std::vector<std::uint8_t> buf_;
  std::size_t begin_ = 0;  // buf_[begin_] holds the byte at file offset pos_
  std::size_t end_ = 0;    // buf_[begin_, end_) is valid
  std::uint64_t pos_ = 4;
  std::uint64_t good_end_ = 4;
  std::optional<error> final_error_;
  std::vector<error> skipped_;
};

}  // namespace binrelay::binlog
