// The applier's retries against a scripted downstream: a deadlock or a lock wait timeout
// rolls the transaction back and runs it again, up to max_retries.

#include <algorithm>

#include <catch2/catch.hpp>

#include "unit/applier/applier_harness.h"

using namespace binrelay;
using namespace binrelay::test;

namespace {

// The statements the downstream received while the session was in transaction `seq_no`.
std::vector<std::string> statements_of(const fake_downstream& fake, std::uint64_t seq_no) {
  std::vector<std::string> out;
  for (const auto& s : fake.statements()) {
    if (s.seq_no == seq_no) out.push_back(s.sql);
  }
  return out;
}

std::size_t count_of(const std::vector<std::string>& statements, const std::string& prefix) {
  return std::count_if(statements.begin(), statements.end(),
                       [&](const std::string& s) { return s.rfind(prefix, 0) == 0; });
}

struct lock_error {
  std::uint16_t code;
  const char* message;
};

const lock_error lock_errors[] = {
    {1213, "Deadlock found when trying to get lock; try restarting transaction"},
    {1205, "Lock wait timeout exceeded; try restarting transaction"},
};

}  // namespace

TEST_CASE(
    "applier: a transaction failing with a deadlock or a lock wait timeout is rolled back, "
    "run again and committed once") {
  auto error = GENERATE(from_range(std::begin(lock_errors), std::end(lock_errors)));
  applier_harness h;
  h.log.append(parallel_transactions(4));
  h.fake.add_rule({"^INSERT", 102, 1, fake_action::err, error.code, error.message});
  h.start();
  h.run_until_applied(4);

  CHECK(h.fake.commits() == gtids_in_order(4));
  auto sql = statements_of(h.fake, 102);
  auto failed =
      std::find_if(sql.begin(), sql.end(), [](auto& s) { return s.rfind("INSERT", 0) == 0; });
  REQUIRE(failed != sql.end());
  REQUIRE(failed + 1 != sql.end());
  CHECK(failed[1] == "ROLLBACK");  // on the same session, right after the failure
  CHECK(count_of(sql, "INSERT") == 2);
  CHECK(count_of(sql, "COMMIT") == 1);
  auto s = h.snapshot();
  CHECK(s.running);
  CHECK(s.last_sql_errno == 0);
}

TEST_CASE(
    "applier: a transaction that keeps deadlocking stops the SQL thread after max_retries "
    "and nothing after it commits") {
  applier_harness h;
  h.config.max_retries = 2;
  h.log.append(parallel_transactions(4));
  h.fake.add_rule({"^INSERT", 102, 0, fake_action::err, 1213, lock_errors[0].message});
  h.start();
  h.run_until([&] { return h.snapshot().last_sql_errno != 0; }, "the applier stopped");

  auto s = h.snapshot();
  CHECK_FALSE(s.running);
  CHECK(s.last_sql_errno == 1213);
  CHECK_THAT(s.last_sql_error, Catch::Contains("Deadlock found"));
  CHECK(count_of(statements_of(h.fake, 102), "INSERT") == 3);  // the first run and 2 retries
  CHECK(count_of(statements_of(h.fake, 102), "ROLLBACK") == 3);
  CHECK(h.fake.commits() == gtids_in_order(1));
  CHECK_FALSE(h.run_returned);
}
