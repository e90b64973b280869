#pragma once
// append_file: a file opened for appending by the relay store's writer: whole writes (retried
// on short writes and EINTR), fdatasync, truncation. Errors name the file and the OS reason.
// Not thread-safe; movable. Closes the descriptor on destruction.

#include <cstdint>
#include <filesystem>
#include <string>

#include "common/bytes.h"
#include "common/result.h"

namespace binrelay::relay {

class append_file {
 public:
  // Creates the file (fails with io_error if it exists and `exclusive`; else truncates it).
  static result<append_file> create(const std::filesystem::path& path, bool exclusive = true);
  // Opens an existing file for appending at its end.
  static result<append_file> open_existing(const std::filesystem::path& path);

  append_file() = default;
  append_file(append_file&& other) noexcept;
  append_file& operator=(append_file&& other) noexcept;
  append_file(const append_file&) = delete;
  append_file& operator=(const append_file&) = delete;
  ~append_file() { close(); }

  bool is_open() const { return fd_ >= 0; }
  // Current size (the offset of the next write).
  std::uint64_t size() const { return size_; }
  const std::filesystem::path& path() const { return path_; }

  result<void> write(bytes_view data);
  // fdatasync: the written bytes (and the size) are durable.
  result<void> sync();
  // Cuts the file to `new_size` (<= size()) and continues writing there.
  result<void> truncate(std::uint64_t new_size);
  void close();

 private:
  append_file(int fd, std::filesystem::path path, std::uint64_t size)
      : fd_(fd), path_(std::move(path)), size_(size) {}
  error os_error(std::string_view what) const;

  int fd_ = -1;
  std::filesystem::path path_;
  std::uint64_t size_ = 0;
};

}  // namespace binrelay::relay
