#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "binlog/transaction_boundary.h"

using namespace binrelay::binlog;

namespace {

// Short names for building event sequences.
boundary_event ev(event_type t) {
  return {t, query_kind::other, 0};
}
boundary_event q(query_kind k) {
  return {event_type::query, k, 0};
}
boundary_event mdb_gtid(std::uint8_t flags2) {
  return {event_type::mariadb_gtid, query_kind::other, flags2};
}

const boundary_event gtid = ev(event_type::gtid);
const boundary_event anon = ev(event_type::anonymous_gtid);
const boundary_event tagged = ev(event_type::gtid_tagged);
const boundary_event begin = q(query_kind::begin);
const boundary_event commit = q(query_kind::commit);
const boundary_event rollback = q(query_kind::rollback);
const boundary_event stmt = q(query_kind::other);
const boundary_event table_map = ev(event_type::table_map);
const boundary_event rows = ev(event_type::write_rows_v2);
const boundary_event xid = ev(event_type::xid);
const boundary_event xa_prepare = ev(event_type::xa_prepare);
const boundary_event intvar = ev(event_type::intvar);
const boundary_event payload = ev(event_type::transaction_payload);
const boundary_event incident = ev(event_type::incident);
const boundary_event rotate = ev(event_type::rotate);
const boundary_event heartbeat = ev(event_type::heartbeat);

struct sequence_case {
  std::string name;
  std::vector<boundary_event> events;
  std::vector<event_role> roles;
};

using R = event_role;

}  // namespace

TEST_CASE("transaction_boundary: event sequences classify as MySQL and MariaDB write them") {
  const std::vector<sequence_case> cases = {
      {"mysql row dml",
       {gtid, begin, table_map, rows, xid},
       {R::begins, R::continues, R::continues, R::continues, R::ends}},
      {"mysql ddl after gtid", {gtid, stmt, gtid, stmt}, {R::begins, R::ends, R::begins, R::ends}},
      {"anonymous gtid dml",
       {anon, begin, stmt, commit},
       {R::begins, R::continues, R::continues, R::ends}},
      {"tagged gtid ddl", {tagged, stmt}, {R::begins, R::ends}},
      {"statement dml rolled back",
       {gtid, begin, stmt, rollback},
       {R::begins, R::continues, R::continues, R::ends}},
      {"xa prepare ends the first part",
       {gtid, begin, rows, stmt, xa_prepare, gtid, stmt},
       {R::begins, R::continues, R::continues, R::continues, R::ends, R::begins, R::ends}},
      {"compressed payload is a whole transaction",
       {gtid, payload, gtid, payload},
       {R::begins, R::ends, R::begins, R::ends}},
      {"intvar belongs to the ddl after it",
       {gtid, intvar, stmt},
       {R::begins, R::continues, R::ends}},
      {"no gtids: begin..commit and a lone statement",
       {begin, rows, xid, stmt},
       {R::begins, R::continues, R::ends, R::whole}},
      {"no gtids: intvar then statement", {intvar, stmt, incident}, {R::begins, R::ends, R::whole}},
      {"gtid then incident", {gtid, incident}, {R::begins, R::ends}},
      {"control events are outside",
       {rotate, gtid, begin, heartbeat, xid},
       {R::control, R::begins, R::continues, R::control, R::ends}},
      {"mariadb group ends at xid",
       {mdb_gtid(0x0c), table_map, rows, xid},
       {R::begins, R::continues, R::continues, R::ends}},
      {"mariadb group ends at commit query",
       {mdb_gtid(0x08), stmt, stmt, commit},
       {R::begins, R::continues, R::continues, R::ends}},
      {"mariadb standalone ends at next statement",
       {mdb_gtid(0x21), stmt, mdb_gtid(0x01), stmt},
       {R::begins, R::ends, R::begins, R::ends}},
      {"gtid inside an open transaction is broken",
       {gtid, begin, rows, gtid},
       {R::begins, R::continues, R::continues, R::broken}},
      {"xid without begin is broken", {gtid, xid}, {R::begins, R::broken}},
      {"begin inside dml is broken", {gtid, begin, begin}, {R::begins, R::continues, R::broken}},
  };
  for (const auto& c : cases) {
    SECTION(c.name) {
      REQUIRE(c.events.size() == c.roles.size());
      transaction_boundary tb;
      for (std::size_t i = 0; i < c.events.size(); ++i) {
        INFO("event " << i);
        CHECK(to_string(tb.step(c.events[i])) == to_string(c.roles[i]));
      }
    }
  }
}

TEST_CASE("transaction_boundary: broken leaves the state, reset forgets the open transaction") {
  transaction_boundary tb;
  CHECK(tb.step(gtid) == R::begins);
  CHECK(tb.step(begin) == R::continues);
  CHECK(tb.step(gtid) == R::broken);
  CHECK(tb.in_transaction());
  tb.reset();
  CHECK_FALSE(tb.in_transaction());
  CHECK(tb.step(gtid) == R::begins);
}

TEST_CASE("transaction_boundary: query text classification") {
  CHECK(classify_query_text("BEGIN") == query_kind::begin);
  CHECK(classify_query_text("  begin") == query_kind::begin);
  CHECK(classify_query_text("XA START X'31',X'',1") == query_kind::begin);
  CHECK(classify_query_text("COMMIT") == query_kind::commit);
  CHECK(classify_query_text("ROLLBACK") == query_kind::rollback);
  CHECK(classify_query_text("ROLLBACK TO SAVEPOINT a") == query_kind::other);
  CHECK(classify_query_text("XA COMMIT X'31'") == query_kind::other);
  CHECK(classify_query_text("XA END X'31'") == query_kind::other);
  CHECK(classify_query_text("BEGINNING") == query_kind::other);
  CHECK(classify_query_text("COMMITTED") == query_kind::other);
  CHECK(classify_query_text("create table t (a int)") == query_kind::other);
  CHECK(classify_query_text("") == query_kind::other);
}
