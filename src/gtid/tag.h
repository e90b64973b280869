#pragma once
// GTID tags (MySQL 8.3+, WL#15294): a GTID may carry a tag, `uuid:tag:gno`. A tag is 1..32
// characters of `[a-z_][a-z0-9_]*`, accepted in any case and normalised to lowercase. The
// empty tag means "untagged" (every GTID before 8.3).

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"

namespace binrelay::gtid {

inline constexpr std::size_t tag_max_length = 32;

// True iff `tag` is empty or a normalised (lowercase) valid tag.
bool is_normalised_tag(std::string_view tag);
// Validates a non-empty tag in any case and returns it lowercased. Fails with
// errc::invalid_argument saying which rule was broken.
result<std::string> normalise_tag(std::string_view tag);

}  // namespace binrelay::gtid
