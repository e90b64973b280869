#pragma once
// A MySQL GTID set: for each (source uuid, tag) a set of transaction numbers (gno), held as
// sorted, merged, non-touching half-open intervals [start, end_exclusive). Text and binary
// formats: docs/gtid.md; MySQL's own definitions are in sql/rpl_gtid_set.cc.
//
// Entries are kept in a vector sorted by (uuid, tag), the untagged entry (tag "") of a uuid
// first — the order MySQL prints and encodes them in. Lookups are binary searches; adding the
// next gno of an interval's end (the common case when following a binlog) only bumps the
// end and never allocates.
//
// Valid gnos are 1 .. max_gno. A value type; not thread-safe (guard shared sets externally).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "gtid/tag.h"
#include "gtid/uuid.h"

namespace binrelay::gtid {

// Largest transaction number MySQL accepts (GNO_END - 1 with GNO_END = INT64_MAX).
inline constexpr std::uint64_t max_gno = 0x7FFFFFFFFFFFFFFEull;

struct interval {
  std::uint64_t start = 0;
  std::uint64_t end_exclusive = 0;
  friend bool operator==(const interval&, const interval&) = default;
};

class gtid_set {
 public:
  // One (uuid, tag) with its non-empty interval list: sorted, merged, non-touching.
  struct entry {
    uuid sid;
    std::string tag;  // "" = untagged; otherwise normalised lowercase
    std::vector<interval> intervals;
    friend bool operator==(const entry&, const entry&) = default;
  };

  gtid_set() = default;

  // Parses MySQL's text form: `uuid:1-5:7,uuid2:3:tag1:1-3:tag2:7`. Whitespace (including
  // newlines) is allowed around every token; input may be unsorted and overlapping, uuids may
  // repeat. "" (or only whitespace) is the empty set. Fails with errc::invalid_argument
  // naming the offending text and its character offset.
  static result<gtid_set> parse(std::string_view text);

  // Decodes the binary Gtid_set encoding of Previous_gtids bodies and COM_BINLOG_DUMP_GTID
  // (untagged and 8.3+ tagged formats). `data` must hold exactly one encoding: trailing
  // bytes are an error. Validates counts against the input size and that every interval
  // list is strictly sorted and non-touching with 1 <= start < end_exclusive.
  static result<gtid_set> decode_binary(bytes_view data);
  // Appends the binary encoding; uses the tagged format iff some entry has a tag.
  void encode_binary(std::vector<std::uint8_t>& out) const;
  std::size_t encoded_binary_size() const;

  // MySQL's text form: uuids lowercase and sorted, entries of one uuid joined by ':' with
  // untagged intervals first, intervals as `a-b` or `a`, different uuids joined by ",\n".
  // The empty set prints as "".
  std::string to_string() const;

  // Adds one GTID. REQUIRES: 1 <= gno <= max_gno, is_normalised_tag(tag).
  // Does not allocate when gno extends the last interval of an existing entry.
  void add(const uuid& sid, std::string_view tag, std::uint64_t gno);
  void add(const uuid& sid, std::uint64_t gno) { add(sid, std::string_view{}, gno); }
  // Adds [start, end_exclusive). REQUIRES: 1 <= start, end_exclusive <= max_gno + 1,
  // is_normalised_tag(tag). An empty interval is a no-op.
  void add_interval(const uuid& sid, std::string_view tag, std::uint64_t start,
                    std::uint64_t end_exclusive);
  // Union in place.
  void add(const gtid_set& other);
  // Removes every GTID of `other`.
  void subtract(const gtid_set& other);
  // Keeps only GTIDs also in `other`.
  void intersect(const gtid_set& other);

  bool contains(const uuid& sid, std::string_view tag, std::uint64_t gno) const;
  bool contains(const uuid& sid, std::uint64_t gno) const {
    return contains(sid, std::string_view{}, gno);
  }
  bool is_subset_of(const gtid_set& other) const;
  // Number of GTIDs (saturates at UINT64_MAX, which no real set reaches).
  std::uint64_t count() const;
  bool empty() const { return entries_.empty(); }
  void clear() { entries_.clear(); }

  // Sorted entries, each with a non-empty interval list.
  const std::vector<entry>& entries() const { return entries_; }
  // The intervals of (sid, tag), or nullptr if the set holds none.
  const std::vector<interval>* find(const uuid& sid, std::string_view tag) const;

  friend bool operator==(const gtid_set& a, const gtid_set& b) { return a.entries_ == b.entries_; }

 private:
  // Index of the entry for (sid, tag), inserting an empty one if missing.
  std::size_t find_or_insert(const uuid& sid, std::string_view tag);
  void drop_empty_entries();

  std::vector<entry> entries_;
  std::size_t last_hit_ = 0;  // entry index of the last add(), checked first
};

gtid_set set_union(gtid_set a, const gtid_set& b);
gtid_set set_intersection(gtid_set a, const gtid_set& b);
gtid_set set_difference(gtid_set a, const gtid_set& b);

}  // namespace binrelay::gtid
