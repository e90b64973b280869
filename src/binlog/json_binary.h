#pragma once
// MySQL's binary JSON (sql-common/json_binary.cc), as stored in JSON columns of row images
// and in partial-update diffs, and its conversion to JSON text exactly as MySQL prints it
// (`{"a": 1, "b": [true, null]}`). Layout: docs/rows.md, "Binary JSON".

#include <string>
#include <string_view>

#include "common/bytes.h"
#include "common/result.h"

namespace binrelay::binlog {

// Nesting deeper than this is reported as corrupt (MySQL allows 100 levels).
inline constexpr int max_json_depth = 150;

// Appends the text of a binary JSON document (type byte + value). An empty document (which
// MySQL reads as JSON null) appends `null`. Fails (corrupt) on any malformed structure and
// then appends nothing.
result<void> json_binary_to_text(bytes_view doc, std::string& out);

// The same, as MySQL's Json_wrapper::to_string(json_quoted=false) gives it (what mysqlbinlog
// prints for a JSON column): a top-level string, date, time or datetime is its bare text,
// without JSON quotes or escapes; anything else as json_binary_to_text.
result<void> json_binary_to_unquoted_text(bytes_view doc, std::string& out);
// Appends `s` as a JSON string literal with MySQL's escaping.
void append_json_string(std::string_view s, std::string& out);

// Appends a double as MySQL's JSON printer does (shortest round-trip digits; ".0" added to
// integral values).
void append_json_double(double d, std::string& out);

}  // namespace binrelay::binlog
