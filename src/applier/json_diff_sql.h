#pragma once
// json_diff_sql: a MySQL partial JSON update (PARTIAL_UPDATE_ROWS, binlog_row_value_options=
// PARTIAL_JSON; binlog/json_diff.h) as the expression an UPDATE assigns to its column. The
// diffs apply in order, so the first is innermost:
//
//   REPLACE p v   JSON_REPLACE(<doc>, p, JSON_EXTRACT(v, '$'))
//   INSERT  p v   JSON_INSERT(<doc>, p, ...), or JSON_ARRAY_INSERT when p ends in an array
//                 cell (MySQL inserts into the array there, shifting what follows)
//   REMOVE  p     JSON_REMOVE(<doc>, p)
//
// where <doc> starts as the column itself. Values are the diff's binary JSON as text, turned
// back into JSON by JSON_EXTRACT(.., '$') so numbers, literals and documents keep their type
// on MariaDB. Paths and values are utf8mb4 text: hex literals (text form) or parameters
// (prepared form). Sans-I/O.

#include <string>
#include <string_view>
#include <vector>

#include "applier/rows_sql.h"
#include "common/bytes.h"
#include "common/result.h"
#include "protocol/prepared_statement.h"

namespace binrelay::applier {

// Appends the expression for `column`'s diff vector to `sql` (prepared form: '?' markers, and
// their values to `params`). Errors: a malformed diff vector or binary JSON value (corrupt).
result<void> append_json_diff(std::string_view column, bytes_view diffs, rows_form form,
                              std::string& sql, std::vector<protocol::param_value>& params);

}  // namespace binrelay::applier
