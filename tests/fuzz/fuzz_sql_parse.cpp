// libFuzzer target: the admin/replica SQL subset parser. Any input must give a statement or an
// error with a MySQL error number, within the parser's limits (sql/limits.h): deep nesting and
// long operator chains are refused, never a stack overflow or a quadratic parse (run with
// -max_len=100000 and libFuzzer's -timeout to catch either). A parsed statement must print and
// compare without crashing.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sql/limits.h"
#include "sql/parser.h"

namespace sql = binrelay::sql;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = sql::parse_statement(text);
  if (!parsed) {
    if (parsed.error().server_errno == 0) __builtin_trap();
    return 0;
  }
  if (size > sql::max_statement_bytes) __builtin_trap();
  // Printing and comparing walk the tree recursively, as deep as max_expression_height allows.
  (void)sql::to_string(*parsed);
  if (!(*parsed == *parsed)) __builtin_trap();
  return 0;
}
