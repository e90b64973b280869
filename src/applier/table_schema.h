#pragma once
// table_schema: what the applier needs to know about a downstream table to turn row images
// into SQL: its column names in ordinal order and the columns that identify a row (the
// primary key, else the first unique key whose columns are all NOT NULL and unprefixed, else
// none: the whole before image is compared). Read from information_schema in one round trip
// (schema_query()), cached by name, dropped after DDL.
//
// Not thread-safe (one per worker).

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "protocol/text_result_set.h"

namespace binrelay::applier {

struct table_schema {
  std::string db;
  std::string table;
  std::vector<std::string> columns;
  std::vector<bool> unsigned_columns;  // integer columns declared UNSIGNED
  std::vector<std::size_t> key;        // column indexes; empty = compare the whole before image
};

// Two statements (columns, then index columns) answering table_schema for db.table.
std::string schema_query(std::string_view db, std::string_view table);

// Builds the schema from the two result sets of schema_query(). Errors: not_found (no such
// table on the downstream).
result<table_schema> parse_schema(std::string_view db, std::string_view table,
                                  const protocol::query_result& columns,
                                  const protocol::query_result& indexes);

class schema_cache {
 public:
  const table_schema* find(std::string_view db, std::string_view table) const;
  const table_schema* add(table_schema s);
  void clear() { tables_.clear(); }

 private:
  std::map<std::pair<std::string, std::string>, std::unique_ptr<table_schema>, std::less<>> tables_;
};

}  // namespace binrelay::applier
