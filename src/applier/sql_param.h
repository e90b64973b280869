#pragma once
// sql_param: a decoded row value as a binary-protocol parameter that stores exactly the same
// value as its SQL literal (sql_literal.h) would, in a column of the same type.
//
//   integers, ENUM index, SET bits, BIT, YEAR  8-byte integer (unsigned flag for unsigned)
//   FLOAT / DOUBLE                           their IEEE bits (exact, no decimal round trip)
//   strings, blobs, binary, geometry, JSON   BLOB-typed bytes: a binary string, stored as is
//                                            (MySQL binary JSON as its text)
//   DECIMAL                                  NEWDECIMAL with its exact decimal text
//   DATE / TIME / DATETIME / TIMESTAMP       the literal's text (six fraction digits; TIMESTAMP
//                                            in UTC: the session uses time_zone '+00:00')
// Every value sql_literal supports binds; partial JSON diffs fail alike (unsupported).

#include "binlog/row_values.h"
#include "binlog/table_map_event.h"
#include "common/result.h"
#include "protocol/prepared_statement.h"

namespace binrelay::applier {

// REQUIRES: v.kind != absent.
result<protocol::param_value> to_param(const binlog::column_info& c, const binlog::column_value& v);

}  // namespace binrelay::applier
