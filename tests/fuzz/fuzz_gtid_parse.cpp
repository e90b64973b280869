// libFuzzer target: GTID set text and binary decoding, MariaDB GTID positions. Each
// successful decode must survive a round trip; a violation traps.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "gtid/gtid_set.h"
#include "gtid/mariadb_gtid.h"

using namespace binrelay;
using namespace binrelay::gtid;

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

void check_set(const gtid_set& s) {
  auto reparsed = gtid_set::parse(s.to_string());
  check(reparsed.has_value() && *reparsed == s);
  std::vector<std::uint8_t> bytes;
  s.encode_binary(bytes);
  check(bytes.size() == s.encoded_binary_size());
  auto decoded = gtid_set::decode_binary(bytes);
  check(decoded.has_value() && *decoded == s);
  // Set algebra identities on the input and itself.
  check(s.is_subset_of(s));
  check(set_difference(s, s).empty());
  check(set_intersection(s, *decoded) == s);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  if (auto s = gtid_set::parse(text)) check_set(*s);

  if (auto s = gtid_set::decode_binary(bytes_view(data, size))) {
    check_set(*s);
    // A canonical encoding (sorted, distinct entries) must re-encode byte-identically.
    std::vector<std::uint8_t> bytes;
    s->encode_binary(bytes);
    auto again = gtid_set::decode_binary(bytes);
    std::vector<std::uint8_t> bytes2;
    again->encode_binary(bytes2);
    check(bytes == bytes2);
  }

  if (auto p = mariadb_gtid_position::parse(text)) {
    auto again = mariadb_gtid_position::parse(p->to_string());
    check(again.has_value() && *again == *p);
    for (const mariadb_gtid& g : p->gtids()) check(p->contains(g));
  }
  return 0;
}
