#include <catch2/catch.hpp>

#include "sql/constant_eval.h"
#include "sql/parser.h"

using namespace binrelay;
using namespace binrelay::sql;

namespace {

expression first_item(const std::string& select) {
  auto s = parse_statement(select);
  REQUIRE(s);
  return std::get<select_statement>(*s).items.at(0).value;
}

std::string value_of(const std::string& select) {
  auto v = evaluate_arithmetic(first_item(select));
  REQUIRE(v);
  return v->value_or("NULL");
}

}  // namespace

TEST_CASE("constant_eval: arithmetic prints as MySQL does") {
  struct row {
    const char* sql;
    const char* value;
  };
  for (auto [sql, value] : std::initializer_list<row>{{"SELECT 1+1", "2"},
                                                      {"SELECT 2*3-10", "-4"},
                                                      {"SELECT -(4 + 1)", "-5"},
                                                      {"SELECT 7 DIV 2", "3"},
                                                      {"SELECT 7 % 3", "1"},
                                                      {"SELECT 1/4", "0.2500"},
                                                      {"SELECT 1.5+1", "2.5"},
                                                      {"SELECT 1.25*2", "2.50"},
                                                      {"SELECT 1/0", "NULL"},
                                                      {"SELECT NULL+1", "NULL"}}) {
    INFO(sql);
    CHECK(value_of(sql) == value);
  }
}

TEST_CASE("constant_eval: BIGINT overflow is MySQL's 1690, non-arithmetic is refused") {
  auto over = evaluate_arithmetic(first_item("SELECT 9223372036854775807 + 1"));
  REQUIRE_FALSE(over);
  CHECK(over.error().server_errno == 1690);
  auto call = evaluate_arithmetic(first_item("SELECT VERSION() + 1"));
  REQUIRE_FALSE(call);
  CHECK(call.error().server_errno == 0);
}

TEST_CASE("constant_eval: points in time for PURGE BINARY LOGS BEFORE") {
  auto before = [](const std::string& expr) {
    auto s = parse_statement("PURGE BINARY LOGS BEFORE " + expr);
    REQUIRE(s);
    return evaluate_datetime(*std::get<purge_binary_logs_statement>(*s).before, 1'000'000);
  };
  CHECK(before("NOW()") == 1'000'000);
  CHECK(before("CURRENT_TIMESTAMP") == 1'000'000);
  CHECK(before("now() - INTERVAL 1 DAY") == 1'000'000 - 86400);
  CHECK(before("SYSDATE() + INTERVAL 2 HOUR") == 1'000'000 + 7200);
  CHECK(before("'2026-01-02 03:04:05'").has_value());
  CHECK_FALSE(before("'yesterday'"));
  CHECK_FALSE(before("NOW() - INTERVAL 1 FORTNIGHT"));
  CHECK_FALSE(before("42"));
}
