#pragma once
// Column type codes as they appear in a TABLE_MAP event's type array (enum_field_types of
// MySQL 5.0-9.x and MariaDB 10.x), and their names as `mysqlbinlog -vv` prints them.
// Layout of the per-type metadata: docs/rows.md, "Column metadata".

#include <cstdint>
#include <string_view>

namespace binrelay::binlog {

enum class column_type : std::uint8_t {
  decimal = 0,  // pre-5.0 DECIMAL, stored as text
  tiny = 1,
  short_ = 2,
  long_ = 3,
  float_ = 4,
  double_ = 5,
  null = 6,
  timestamp = 7,
  longlong = 8,
  int24 = 9,
  date = 10,
  time = 11,
  datetime = 12,
  year = 13,
  newdate = 14,
  varchar = 15,
  bit = 16,
  timestamp2 = 17,
  datetime2 = 18,
  time2 = 19,
  typed_array = 20,
  varchar_compressed = 140,  // MariaDB column compression
  blob_compressed = 141,     // MariaDB column compression
  vector = 242,              // MySQL 9.0+
  invalid = 243,
  bool_ = 244,
  json = 245,
  newdecimal = 246,
  enum_ = 247,
  set = 248,
  tiny_blob = 249,
  medium_blob = 250,
  long_blob = 251,
  blob = 252,
  var_string = 253,
  string = 254,
  geometry = 255,
};

// "LONG", "VARCHAR", "NEWDECIMAL", ...; "UNKNOWN" for codes not listed above.
std::string_view column_type_name(column_type t);

// Bytes of per-column metadata the type carries in a TABLE_MAP (0, 1 or 2).
int column_metadata_size(column_type t);

// Whether the SIGNEDNESS optional metadata has a bit for this type.
bool is_numeric_column(column_type t);
// Whether COLUMN_CHARSET/DEFAULT_CHARSET metadata covers this type (character columns,
// excluding ENUM/SET which have their own charset fields).
bool is_character_column(column_type t);

}  // namespace binrelay::binlog
