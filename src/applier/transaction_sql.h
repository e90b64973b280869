#pragma once
// transaction_sql: a relayed transaction as the statements a worker sends to the downstream
// (without BEGIN/COMMIT and the applier's GTID and progress statements).
//   rows events      rows_sql.h, against the downstream's schema of each mapped table
//   QUERY (not BEGIN/COMMIT)  USE db; SET its session variables; the statement as is;
//                    then the applier's session defaults again
//   INTVAR / RAND    SET INSERT_ID / LAST_INSERT_ID / RAND seeds for the next statement
//   GTID, XID, TABLE_MAP, ANNOTATE_ROWS, ROWS_QUERY  nothing
// Sans-I/O: the caller first fetches the schemas missing_tables() names.

#include <string>
#include <utility>
#include <vector>

#include "applier/relay_transaction.h"
#include "applier/rows_sql.h"
#include "applier/sql_batch.h"
#include "applier/table_schema.h"
#include "common/result.h"

namespace binrelay::applier {

// Session settings every applier connection uses between transactions.
std::string_view session_defaults_sql();

// Tables the transaction's table maps name that `cache` does not hold.
result<std::vector<std::pair<std::string, std::string>>> missing_tables(
    const relay_transaction& txn, const schema_cache& cache);

// Appends the transaction's statements. Sets `*ddl` when it ran a statement (so schemas must
// be re-read). Rows events become statements of `form`. REQUIRES: missing_tables() is empty.
// Errors: decoding errors, unsupported events.
result<void> build_transaction_sql(const relay_transaction& txn, const schema_cache& cache,
                                   sql_batch& out, bool* ddl, rows_form form = rows_form::text);

}  // namespace binrelay::applier
