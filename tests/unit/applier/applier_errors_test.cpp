// How the applier treats downstream errors (apply_error.h) and its own exceptions, against a
// scripted downstream: a permanent error stops only the SQL thread until start(); a transient
// one makes it reconnect and resume from the progress the downstream recorded.

#include <catch2/catch.hpp>

#include "unit/applier/applier_harness.h"

using namespace binrelay;
using namespace binrelay::test;

namespace {

struct scripted_error {
  const char* name;
  fake_action action;
  std::uint16_t code;
  const char* message;
};

std::size_t inserts_of(const fake_downstream& fake, std::uint64_t seq_no) {
  std::size_t n = 0;
  for (const auto& s : fake.statements()) n += s.seq_no == seq_no && s.sql.rfind("INSERT", 0) == 0;
  return n;
}

// Where the second transaction ends: the applier resumes there after the third failed.
binlog::log_position resume_point(const applier_harness& h) {
  return {"relay-bin.000001", h.log.transactions()[1].end_offset};
}

bool stopped_with_error(const applier_harness& h) {
  auto s = h.snapshot();
  return !s.running && s.last_sql_errno != 0;
}

}  // namespace

TEST_CASE(
    "applier: a permanent error stops only the SQL thread with the server's errno and text, "
    "start() resumes after the last committed transaction") {
  const scripted_error permanent[] = {
      {"duplicate key", fake_action::err, 1062, "Duplicate entry '1' for key 'PRIMARY'"},
      {"command denied", fake_action::err, 1142,
       "INSERT command denied to user 'applier'@'localhost' for table `toddy_test`.`outbox`"},
  };
  auto error = GENERATE_REF(from_range(std::begin(permanent), std::end(permanent)));
  CAPTURE(error.name);
  applier_harness h;
  h.log.append(parallel_transactions(6));
  h.fake.add_rule({"^INSERT", 103, 1, error.action, error.code, error.message});
  h.start();
  h.run_until([&] { return stopped_with_error(h); }, "the SQL thread stopped");

  auto s = h.snapshot();
  CHECK(s.last_sql_errno == error.code);
  CHECK_THAT(s.last_sql_error, Catch::Contains(error.message));
  CHECK_THAT(s.last_sql_error, !Catch::Contains("Lost connection"));
  CHECK(h.fake.commits() == gtids_in_order(2));
  CHECK_FALSE(h.run_returned);

  h.app().start();
  h.run_until_applied(6);
  CHECK(h.log.last_opened_at() == resume_point(h));
  CHECK(h.fake.commits() == gtids_in_order(6));
  CHECK(inserts_of(h.fake, 101) == 1);
  CHECK(inserts_of(h.fake, 103) == 2);
  s = h.snapshot();
  CHECK(s.running);
  CHECK(s.last_sql_errno == 0);
}

TEST_CASE(
    "applier: a lost connection or a server going away makes it reconnect, still running, "
    "and resume from the recorded progress") {
  const scripted_error transient[] = {
      {"connection dropped", fake_action::drop, 0, ""},
      {"server shutdown", fake_action::err, 1053, "Server shutdown in progress"},
      {"connection killed", fake_action::err, 1927, "Connection was killed"},
  };
  auto error = GENERATE_REF(from_range(std::begin(transient), std::end(transient)));
  CAPTURE(error.name);
  applier_harness h;
  h.log.append(parallel_transactions(6));
  h.fake.add_rule({"^INSERT", 103, 1, error.action, error.code, error.message});
  bool was_running = false;
  bool stopped = false;
  auto watch = [&] {
    bool running = h.snapshot().running;
    stopped = stopped || (was_running && !running);
    was_running = was_running || running;
  };
  h.start();
  h.run_until_applied(6, watch);

  CHECK_FALSE(stopped);
  CHECK(h.fake.commits() == gtids_in_order(6));
  CHECK(h.fake.connections() > h.config.workers);  // a second run connected again
  CHECK(h.log.opened() == 2);  // and read the relay log from the recorded progress:
  CHECK(h.log.last_opened_at() == resume_point(h));
  CHECK(inserts_of(h.fake, 101) == 1);
  CHECK(inserts_of(h.fake, 103) == 2);
  CHECK(h.snapshot().last_sql_errno == 0);
}

TEST_CASE(
    "applier: an exception inside the applier stops the SQL thread with errno 13117 and "
    "does not escape, start() resumes") {
  applier_harness h;
  h.log.append(parallel_transactions(4));
  SECTION("thrown by the relay log") {
    h.log.throw_at(2);
  }
  SECTION("thrown while a worker connects (max_allowed_packet is not a number)") {
    h.fake.add_rule(
        {"^SELECT @@global.max_allowed_packet", {}, 1, fake_action::value, 0, "not a number"});
  }
  h.start();
  h.run_until([&] { return stopped_with_error(h); }, "the SQL thread stopped");

  auto s = h.snapshot();
  CHECK(s.last_sql_errno == 13117);
  CHECK_THAT(s.last_sql_error, Catch::Contains("Internal error in the applier"));
  CHECK_FALSE(h.run_returned);
  CHECK(h.fake.commits().empty());

  h.app().start();
  h.run_until_applied(4);
  CHECK(h.fake.commits() == gtids_in_order(4));
  CHECK(h.snapshot().running);
}
