#pragma once
// Renders rows events as `mysqlbinlog -vv --base64-output=decode-rows` (and mariadb-binlog)
// print them:
//
//   ### INSERT INTO `db`.`t`
//   ### SET
//   ###   @1=1 /* INT meta=0 nullable=0 is_null=0 */
//
// UPDATE prints `### WHERE` (before image) then `### SET` (after image); DELETE prints
// `### DELETE FROM` with `### WHERE`. Columns outside an image's bitmap are not printed.
// Value formats per type follow mysqlbinlog's log_event_print_value: docs/rows.md,
// "Text format". Output is appended to a caller-owned string (no other allocation per value).

#include <string>

#include "binlog/row_text_cache.h"
#include "binlog/row_values.h"

namespace binrelay::binlog {

// How string values are quoted: mariadb-binlog writes bytes below 0x20 as \xNN and everything
// else raw; mysqlbinlog 8.0+ also escapes ' and \, and writes \b \t \n \f \r for those bytes.
enum class quote_style { mariadb, mysql };

struct row_format_options {
  bool type_comments = true;  // -vv: append "/* TYPE meta=.. nullable=.. is_null=.. */"
  quote_style quoting = quote_style::mariadb;
};

// Appends every row of `ev`. On a decoding error the text of the rows before it stays in
// `out` and the error names table, column and row offset.
result<void> format_rows_event(const rows_event& ev, const table_map_event& map, std::string& out,
                               const row_format_options& opt = {});
// The same, reusing the per-column text of `map` kept in `cache` (row_text_cache.h); what a
// printer of many events calls. `rows`, when given, is increased by the rows printed.
result<void> format_rows_event(const rows_event& ev, const table_map_event& map, std::string& out,
                               const row_format_options& opt, rows_text_cache& cache,
                               std::size_t* rows = nullptr);
// The number of rows of `ev` (decodes every row: its error is the one printing would give).
result<std::size_t> count_rows(const rows_event& ev, const table_map_event& map);

// Appends one value as mysqlbinlog prints it (`'abc'`, `-1 (4294967295)`, `NULL`, ...).
// `column_number` (1-based) is only used by partial JSON diffs, which refer to `@N`.
void format_value(const column_info& c, const column_value& v, std::string& out,
                  std::size_t column_number = 0, quote_style quoting = quote_style::mariadb);
// Appends mysqlbinlog's type name for the column (`INT`, `VARSTRING(255)`, `DECIMAL(10,2)`).
void format_type_name(const column_info& c, std::string& out);
// Appends `s` quoted as mariadb-binlog does: bytes < 0x20 as \xNN, everything else raw.
void append_quoted(bytes_view s, std::string& out);
// Appends `s` quoted as mysqlbinlog 8.0+ does (quote_style::mysql).
void append_quoted_mysql(bytes_view s, std::string& out);

}  // namespace binrelay::binlog
