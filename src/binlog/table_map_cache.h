#pragma once
// table_map_cache: the TABLE_MAP events seen so far in a stream, by table id, owning copies of
// their bytes so the decoded maps outlive the reader buffer they came from. Rows events refer
// to their table by id; a later map with the same id replaces the earlier one.
//
// Servers repeat the same TABLE_MAP in every transaction. When a map's body (everything after
// the common header, checksum excluded) equals the cached one for its id, add() returns the
// cached map without decoding or copying again.
//
// Not thread-safe. Pointers returned by add() and find() stay valid until that id is replaced
// by a different map, or clear().

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "binlog/format_description.h"
#include "binlog/table_map_event.h"
#include "common/result.h"

namespace binrelay::binlog {

class table_map_cache {
 public:
  // Decodes and stores a copy of the TABLE_MAP event whose whole bytes are `raw_event`
  // (or returns the cached map when its body is unchanged).
  result<const table_map_event*> add(bytes_view raw_event, const format_description& fde);
  const table_map_event* find(std::uint64_t table_id) const;
  void clear() { maps_.clear(); }
  // Number of add() calls that decoded a map (the others reused the cached one).
  std::uint64_t decoded_count() const { return decoded_; }

 private:
  struct owned_map {
    std::vector<std::uint8_t> body;  // the event body the views of `map` point into
    std::uint8_t post_header_length = 0;
    table_map_event map;
  };
  std::unordered_map<std::uint64_t, std::unique_ptr<owned_map>> maps_;
  std::uint64_t decoded_ = 0;
};

}  // namespace binrelay::binlog
