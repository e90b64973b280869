#include <catch2/catch.hpp>

#include <string>

#include "common/log_text.h"

using namespace binrelay;
using namespace std::string_literals;

TEST_CASE("printable: plain ASCII and UTF-8 names pass through unchanged", "[log_text]") {
  CHECK(printable("repl") == "repl");
  CHECK(printable("") == "");
  CHECK(printable("Jürgen-ユーザー") == "Jürgen-ユーザー");
  CHECK(printable("SELECT 'a b' FROM t", max_logged_sql) == "SELECT 'a b' FROM t");
}

TEST_CASE("printable: a newline cannot start a forged log line", "[log_text]") {
  auto s = printable("bob\n2026-12-07T00:00:00.000Z ERROR forged");
  CHECK(s.find('\n') == std::string::npos);
  CHECK(s == "bob\\n2026-12-07T00:00:00.000Z ERROR forged");
}

TEST_CASE("printable: control bytes, backslash and DEL are escaped", "[log_text]") {
  CHECK(printable("a\rb\tc\\d") == "a\\rb\\tc\\\\d");
  CHECK(printable("\x1b[31mred"s) == "\\x1B[31mred");
  CHECK(printable("nul\0x"s) == "nul\\x00x");
  CHECK(printable("\x7f"s) == "\\x7F");
}

TEST_CASE("printable: malformed UTF-8 bytes are escaped one by one", "[log_text]") {
  CHECK(printable("\xff\xfe"s) == "\\xFF\\xFE");
  CHECK(printable("a\xc3"s) == "a\\xC3");                           // truncated sequence
  CHECK(printable("\xc0\xaf"s) == "\\xC0\\xAF");                    // overlong '/'
  CHECK(printable("\xed\xa0\x80"s) == "\\xED\\xA0\\x80");           // surrogate
  CHECK(printable("\xf4\x90\x80\x80"s) == "\\xF4\\x90\\x80\\x80");  // past U+10FFFF
}

TEST_CASE("printable: long text keeps its head and says how long it was", "[log_text]") {
  std::string huge(16 << 20, 'u');
  auto s = printable(huge, max_logged_name);
  CHECK(s == std::string(64, 'u') + "...(16777216 bytes)");
  CHECK(printable(std::string(64, 'x'), 64) == std::string(64, 'x'));
  CHECK(printable(std::string(65, 'x'), 64) == std::string(64, 'x') + "...(65 bytes)");
}

TEST_CASE("printable: truncation never cuts a UTF-8 sequence and bounds escaped output",
          "[log_text]") {
  CHECK(printable("abü", 3) == "ab...(4 bytes)");
  std::string escaped;
  for (int i = 0; i < 10; ++i) escaped += "\\x01";
  auto s = printable(std::string(1000, '\x01'), 10);
  CHECK(s == escaped + "...(1000 bytes)");
  CHECK(s.size() <= 4 * 10 + 24);
}

TEST_CASE("clipped: cuts long text at a UTF-8 boundary without escaping", "[log_text]") {
  CHECK(clipped("a\\nb", 10) == "a\\nb");
  CHECK(clipped("abcdef", 3) == "abc...(6 bytes)");
  CHECK(clipped("abü", 3) == "ab...(4 bytes)");
}
