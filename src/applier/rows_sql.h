#pragma once
// rows_sql: row images of one rows event as SQL for the downstream.
//   WRITE   INSERT INTO t (present columns) VALUES (...),(...)  — one statement per event
//   UPDATE  UPDATE t SET <changed columns of the after image> WHERE <row identity> LIMIT 1,
//           one per row
//   DELETE  DELETE FROM t WHERE <row identity> LIMIT 1, one per row
// Row identity: the schema's key columns when the before image holds them all, else every
// column of the before image compared null-safely (<=>). Each UPDATE/DELETE expects one
// matched row (expected_rows; the connection reports found rows), so a missing row is
// detected before the transaction commits.
// FULL, MINIMAL and NOBLOB images work alike: absent columns are left out.
// Prepared form (rows_form::prepared): the same statements with '?' for every value and the
// values bound in binary (sql_param.h); an INSERT carries at most prepared_insert_rows rows, so
// that a worker's statement cache holds few shapes per table.

#include "applier/sql_batch.h"
#include "applier/table_schema.h"
#include "binlog/row_values.h"
#include "binlog/rows_event.h"
#include "binlog/table_map_event.h"
#include "common/result.h"

namespace binrelay::applier {

// Appends the statements of `ev` to `out`. REQUIRES: `map` is ev's table map and `schema`
// the downstream's definition of that table. Errors: corrupt rows, a column count that
// differs between the table map and the downstream (invalid_argument), unsupported values.
enum class rows_form { text, prepared };
inline constexpr std::size_t prepared_insert_rows = 32;

result<void> append_rows_sql(const binlog::rows_event& ev, const binlog::table_map_event& map,
                             const table_schema& schema, const statement_origin& origin,
                             sql_batch& out, rows_form form = rows_form::text);

}  // namespace binrelay::applier
