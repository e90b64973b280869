// The operator's skip of a failing transaction on the admin port (admin_skip.h) over a fake
// daemon state: MySQL's SET GTID_NEXT / BEGIN / COMMIT and MariaDB's SET GLOBAL
// gtid_slave_pos, the calls they make and the errors that refuse what would do nothing.

#include <catch2/catch.hpp>

#include "admin/handler.h"
#include "unit/admin/fake_admin_state.h"

using namespace binrelay;
using namespace binrelay::admin;
using binrelay::test::fake_admin_state;

namespace {

const std::string sid = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

void ok_of(admin_handler& h, const std::string& sql) {
  auto a = h.answer(sql);
  if (auto* err = std::get_if<protocol::err_packet>(&a))
    FAIL(sql << ": ERR " << err->error_code << " " << err->message);
}

protocol::err_packet error_of(admin_handler& h, const std::string& sql) {
  auto a = h.answer(sql);
  REQUIRE(std::holds_alternative<protocol::err_packet>(a));
  return std::get<protocol::err_packet>(a);
}

// An applier stopped by a failing transaction after `executed`.
fake_admin_state stopped_applier(const std::string& executed) {
  fake_admin_state s;
  s.ap.configured = true;
  s.ap.running = false;
  s.ap.last_sql_errno = 1032;
  s.ap.executed.mariadb = true;
  s.ap.executed.position = *gtid::mariadb_gtid_position::parse(executed);
  return s;
}

}  // namespace

TEST_CASE("skip: SET GTID_NEXT, BEGIN, COMMIT records the GTID, START SLAVE resumes") {
  auto state = stopped_applier("0-1-5");
  admin_handler h(state);
  ok_of(h, "SET GTID_NEXT='0-1-6'");
  auto next = std::get<protocol::query_result>(h.answer("SELECT @@gtid_next"));
  CHECK(next.rows.at(0).at(0) == "0-1-6");
  ok_of(h, "BEGIN");
  CHECK(state.calls.empty());
  ok_of(h, "COMMIT");
  ok_of(h, "SET GTID_NEXT='AUTOMATIC'");
  ok_of(h, "START SLAVE");
  CHECK(state.calls == std::vector<std::string>{"skip 0-1-6", "start_io", "start_sql"});
}

TEST_CASE("skip: MySQL GTIDs, @@SESSION.GTID_NEXT and START TRANSACTION") {
  auto state = stopped_applier("");
  admin_handler h(state);
  ok_of(h, "SET @@SESSION.GTID_NEXT = '" + sid + ":21'");
  ok_of(h, "START TRANSACTION");
  ok_of(h, "COMMIT");
  ok_of(h, "SET @@session.gtid_next = AUTOMATIC");
  CHECK(state.calls == std::vector<std::string>{"skip " + sid + ":21"});
}

TEST_CASE("skip: tagged MySQL GTIDs, in canonical text, and one executed already is refused") {
  auto state = stopped_applier("");
  state.ap.executed.mariadb = false;
  state.ap.executed.mysql = *gtid::gtid_set::parse(sid + ":tag_a:1-3");
  admin_handler h(state);
  ok_of(h, "SET GTID_NEXT='" + sid + ":Tag_A:4'");
  ok_of(h, "BEGIN");
  ok_of(h, "COMMIT");
  CHECK(state.calls == std::vector<std::string>{"skip " + sid + ":tag_a:4"});
  ok_of(h, "SET GTID_NEXT='" + sid + ":tag_a:3'");
  ok_of(h, "BEGIN");
  CHECK(error_of(h, "COMMIT").error_code == 1235);
  CHECK(error_of(h, "SET GTID_NEXT='" + sid + ":bad-tag:3'").error_code == 1231);
}

TEST_CASE("skip: SET GLOBAL gtid_slave_pos skips the next transaction of its domain") {
  auto state = stopped_applier("0-1-5,1-2-9");
  admin_handler h(state);
  ok_of(h, "SET GLOBAL gtid_slave_pos = '0-1-6'");
  CHECK(state.calls == std::vector<std::string>{"skip 0-1-6"});
  auto ahead = error_of(h, "SET GLOBAL gtid_slave_pos = '0-1-8'");
  CHECK(ahead.error_code == 1235);
  CHECK(ahead.message.find("0-1-5") != std::string::npos);
  CHECK(error_of(h, "SET GLOBAL gtid_slave_pos = '0-1-6,1-2-10'").error_code == 1235);
  CHECK(error_of(h, "SET GLOBAL gtid_slave_pos = 'x-1'").error_code == 1231);
  CHECK(error_of(h, "SET SESSION gtid_slave_pos = '0-1-6'").error_code == 1235);
  CHECK(state.calls.size() == 1);
}

TEST_CASE("skip: refusals that would otherwise do nothing") {
  auto state = stopped_applier("0-1-5");
  admin_handler h(state);
  CHECK(error_of(h, "BEGIN").error_code == 1235);  // GTID_NEXT is AUTOMATIC
  ok_of(h, "COMMIT");                              // nothing begun: MySQL's OK
  CHECK(error_of(h, "SET GTID_NEXT='nonsense'").error_code == 1231);
  CHECK(error_of(h, "SET GTID_NEXT='0-1-6', NAMES utf8mb4").error_code == 1235);
  CHECK(error_of(h, "SET GTID_NEXT='" + sid + ":0'").error_code == 1231);

  ok_of(h, "SET GTID_NEXT='0-1-5'");  // already executed on the downstream
  CHECK(error_of(h, "COMMIT").error_code == 1235);

  ok_of(h, "SET GTID_NEXT='0-1-6'");
  ok_of(h, "BEGIN");
  CHECK(error_of(h, "SET GTID_NEXT='0-1-7'").error_code == 1790);
  CHECK(error_of(h, "BEGIN").error_code == 1235);
  ok_of(h, "COMMIT");
  CHECK(error_of(h, "BEGIN").error_code == 1837);  // GTID_NEXT must be set again
  CHECK(state.calls == std::vector<std::string>{"skip 0-1-6"});
}

TEST_CASE("skip: needs the SQL thread stopped") {
  auto state = stopped_applier("0-1-5");
  state.ap.running = true;
  admin_handler h(state);
  ok_of(h, "SET GTID_NEXT='0-1-6'");
  ok_of(h, "BEGIN");
  CHECK(error_of(h, "COMMIT").error_code == 1198);
  CHECK(error_of(h, "SET GLOBAL gtid_slave_pos='0-1-6'").error_code == 1198);
  CHECK(state.calls.empty());
}
