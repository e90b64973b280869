// Row events as BINLOG statements (binlog_replay.h) and batches of replayed transactions
// (replay_batch.h), on transactions cut from binlogs real MariaDB and MySQL servers wrote.

#include <catch2/catch.hpp>

#include "applier/binlog_replay.h"
#include "applier/replay_batch.h"
#include "applier/resume_scan.h"
#include "binlog/file_reader.h"
#include "common/base64.h"
#include "support/fixtures.h"

using namespace binrelay;
using namespace binrelay::applier;

namespace {

// The file's transactions (GTID/BEGIN through XID/COMMIT), as the applier's reader cuts them.
std::vector<relay_transaction> transactions_of(const std::string& fixture) {
  auto reader = binlog::file_reader::open(test::fixtures_dir() / fixture);
  REQUIRE(reader);
  std::vector<relay_transaction> out;
  std::shared_ptr<const binlog::format_description> format;
  std::shared_ptr<const std::vector<std::uint8_t>> format_event;
  std::optional<relay_transaction> open;
  while (true) {
    auto ev = reader->next();
    REQUIRE(ev);
    if (!*ev) break;
    const auto& e = **ev;
    auto type = e.header.type;
    if (type == binlog::event_type::format_description) {
      format = std::make_shared<binlog::format_description>(reader->format());
      format_event = std::make_shared<std::vector<std::uint8_t>>(e.bytes.begin(), e.bytes.end());
      continue;
    }
    if (type == binlog::event_type::mariadb_gtid || type == binlog::event_type::gtid ||
        type == binlog::event_type::anonymous_gtid) {
      open.emplace();
      open->format = format;
      open->format_event = format_event;
      open->has_begin = true;
      open->file = "relay-bin.000001";
      open->file_number = 1;
      auto g = binlog::gtid_of_event(e.header, e.body(reader->format()), reader->format());
      REQUIRE(g);
      open->gtid = *g;
    }
    if (!open) continue;
    open->events.insert(open->events.end(), e.bytes.begin(), e.bytes.end());
    bool commit_query =
        type == binlog::event_type::query &&
        std::string_view(reinterpret_cast<const char*>(e.bytes.data()), e.bytes.size())
                .find("COMMIT") != std::string_view::npos;
    if (type == binlog::event_type::xid || commit_query) {
      open->end_offset = reader->position();
      out.push_back(std::move(*open));
      open.reset();
    }
  }
  return out;
}

const char* mariadb_rows = "blackbeam__rust_mysql_common/test-data/binlogs/mariadb-bin.000001";
const char* mariadb_mixed = "Osso__mariadb-mysql-cdc/fixtures/mixed-binlog/mysql-bin.000001";
const char* mysql_rows = "EasyPost__rust-mysql-binlog/test_data/bin-log.000001";

// The events of `txn` of the given types, back to back.
std::vector<std::uint8_t> events_of(const relay_transaction& txn,
                                    std::initializer_list<binlog::event_type> types) {
  std::vector<std::uint8_t> out;
  bytes_view rest(txn.events);
  while (!rest.empty()) {
    auto h = binlog::decode_event_header(rest);
    REQUIRE(h);
    if (std::find(types.begin(), types.end(), h->type) != types.end()) {
      out.insert(out.end(), rest.begin(), rest.begin() + h->event_size);
    }
    rest = rest.subspan(h->event_size);
  }
  return out;
}

// The decoded bytes of every BINLOG '...' statement of `sql`, in order.
std::vector<std::vector<std::uint8_t>> binlog_payloads(const std::string& sql) {
  std::vector<std::vector<std::uint8_t>> out;
  for (std::size_t at = sql.find("BINLOG '"); at != std::string::npos;
       at = sql.find("BINLOG '", at + 1)) {
    auto end = sql.find('\'', at + 8);
    auto bytes = base64_decode(std::string_view(sql).substr(at + 8, end - at - 8));
    REQUIRE(bytes);
    out.push_back(std::move(*bytes));
  }
  return out;
}

// Two real transactions as one: the first's GTID, both row statements, the second's XID.
relay_transaction two_statements() {
  auto txns = transactions_of(mariadb_rows);
  REQUIRE(txns.size() == 2);
  relay_transaction t = txns[0];
  auto second = events_of(txns[1], {binlog::event_type::table_map,
                                    binlog::event_type::write_rows_v1, binlog::event_type::xid});
  t.events = events_of(txns[0],
                       {binlog::event_type::mariadb_gtid, binlog::event_type::mariadb_annotate_rows,
                        binlog::event_type::table_map, binlog::event_type::write_rows_v1});
  t.events.insert(t.events.end(), second.begin(), second.end());
  return t;
}

}  // namespace

TEST_CASE(
    "binlog_replay: row transactions are replayable into a downstream of their source's "
    "flavour, statements and the other flavour's are not") {
  auto rows = transactions_of(mariadb_rows);
  REQUIRE(rows.size() == 2);
  CHECK(replayable(rows[0], downstream_flavour::mariadb));
  CHECK(replayable(rows[1], downstream_flavour::mariadb));
  auto mysql = transactions_of(mysql_rows);
  REQUIRE_FALSE(mysql.empty());
  // A MySQL FDE: a MariaDB downstream gets it as prepared statements, a MySQL one replays it.
  CHECK_FALSE(replayable(mysql[0], downstream_flavour::mariadb));
  CHECK(replayable(mysql[0], downstream_flavour::mysql));
  CHECK_FALSE(replayable(rows[0], downstream_flavour::mysql));
  std::size_t refused = 0, accepted = 0;
  for (const auto& t : transactions_of(mariadb_mixed))
    (replayable(t, downstream_flavour::mariadb) ? accepted : refused)++;
  CHECK(accepted > 0);  // row transactions
  CHECK(refused > 0);   // DDL and statement-format DML (INTVAR)
}

TEST_CASE(
    "binlog_replay: one BINLOG statement carries the table map and rows, not the GTID, "
    "annotation or XID") {
  auto txn = transactions_of(mariadb_rows)[0];
  replay_encoder enc;
  std::string sql;
  CHECK(enc.append(txn, replay_split::by_size, 1 << 20, sql) == 1);
  auto payloads = binlog_payloads(sql);
  REQUIRE(payloads.size() == 1);
  CHECK(payloads[0] ==
        events_of(txn, {binlog::event_type::table_map, binlog::event_type::write_rows_v1}));
  CHECK(sql.front() == 'B');
  CHECK(sql.back() == '\'');
}

TEST_CASE("binlog_replay: statements are cut between statement groups, by size or per group") {
  auto txn = two_statements();
  replay_encoder enc;
  std::string one, per_group, small;
  CHECK(enc.append(txn, replay_split::by_size, 1 << 20, one) == 1);
  CHECK(enc.append(txn, replay_split::by_group, 1 << 20, per_group) == 2);
  CHECK(enc.append(txn, replay_split::by_size, 100, small) == 2);  // a group alone may exceed it
  CHECK(small == per_group);
  auto whole = binlog_payloads(one)[0];
  auto parts = binlog_payloads(per_group);
  REQUIRE(parts.size() == 2);
  std::vector<std::uint8_t> joined = parts[0];
  joined.insert(joined.end(), parts[1].begin(), parts[1].end());
  CHECK(joined == whole);
  CHECK(per_group.find("';BINLOG '") != std::string::npos);
}

TEST_CASE("binlog_replay: group origins name the rows event, its table and end_log_pos") {
  auto txn = two_statements();
  auto origins = group_origins(txn);
  REQUIRE(origins);
  REQUIRE(origins->size() == 2);
  CHECK((*origins)[0].event == "Write_rows_v1");
  CHECK((*origins)[0].db == "toddy_test");
  CHECK((*origins)[0].table == "outbox");
  CHECK((*origins)[0].end_log_pos == 671);
  CHECK((*origins)[1].end_log_pos == 1043);
}

TEST_CASE(
    "replay_batch: each transaction keeps its GTID and commits and the FDE goes first when "
    "asked") {
  auto txns = transactions_of(mariadb_rows);
  replay_encoder enc;
  replay_batch b;
  gtid_session session;
  replay_options o;
  o.worker = 3;
  o.send_format = true;
  b.append(txns[0], enc, o, session);
  o.send_format = false;
  b.append(txns[1], enc, o, session);
  CHECK(b.transactions == 2);
  CHECK(b.sql.starts_with("BINLOG '"));
  // The first sets the GTID's domain and server; the second, from the same origin, only seq_no.
  CHECK(b.sql.find("';SET SESSION gtid_domain_id=0,server_id=1,gtid_seq_no=1;BINLOG '") !=
        std::string::npos);
  CHECK(
      b.sql.find("REPLACE INTO binrelay.apply_progress VALUES (3,1,'relay-bin.000001',702,'0-1-1');"
                 "COMMIT;SET SESSION gtid_seq_no=2;BINLOG '") != std::string::npos);
  CHECK(b.sql.ends_with("'0-1-2');COMMIT"));
  using p = replay_part;
  std::vector<p> parts;
  for (const auto& s : b.steps) parts.push_back(s.part);
  CHECK(parts == std::vector<p>{p::format, p::gtid, p::rows, p::progress, p::commit, p::gtid,
                                p::rows, p::progress, p::commit});
  CHECK(binlog_payloads(b.sql)[0] == *txns[0].format_event);
  CHECK(session.known);
}

TEST_CASE("replay_batch: the answer tells what committed and which statement failed") {
  auto txns = transactions_of(mariadb_rows);
  replay_encoder enc;
  replay_batch b;
  gtid_session session;
  b.append(txns[0], enc, {}, session);
  b.append(txns[1], enc, {}, session);
  REQUIRE(b.steps.size() == 8);
  protocol::connection::batch_result all;
  all.results.resize(8);
  auto ok = interpret(b, all);
  CHECK(ok.committed == 2);
  CHECK_FALSE(ok.failed);

  protocol::connection::batch_result second_rows_fail;
  second_rows_fail.results.resize(5);  // transaction 0 (4 statements), then the GTID of 1
  second_rows_fail.failure = binrelay::error{errc::server_error, "Can't find record in 'outbox'"};
  auto bad = interpret(b, second_rows_fail);
  CHECK(bad.committed == 1);
  REQUIRE(bad.failed);
  CHECK(bad.failed->txn == 1);
  CHECK(bad.failed->part == replay_part::rows);
  REQUIRE(bad.error);

  protocol::connection::batch_result first_fails;
  first_fails.failure = binrelay::error{errc::server_error, "no"};
  auto none = interpret(b, first_fails);
  CHECK(none.committed == 0);
  REQUIRE(none.failed);
  CHECK(none.failed->part == replay_part::gtid);
}

TEST_CASE("resume_scan: gtid_binlog_state lists one GTID per domain and server") {
  auto state = parse_binlog_state("0-1-74221,0-2-2,7-1-5");
  REQUIRE(state);
  REQUIRE(state->size() == 3);
  CHECK((*state)[1] == gtid::mariadb_gtid{0, 2, 2});
  auto empty = parse_binlog_state("");
  REQUIRE(empty);
  CHECK(empty->empty());
  CHECK_FALSE(parse_binlog_state("0-1-x"));
}

TEST_CASE(
    "binlog_replay: into MySQL a transaction sets GTID_NEXT before its relay file's FDE "
    "(MySQL refuses any BINLOG while GTID_NEXT names the previous transaction)") {
  auto txn = transactions_of(mysql_rows)[0];
  replay_encoder enc;
  replay_batch b;
  gtid_session session;
  replay_options o;
  o.flavour = downstream_flavour::mysql;
  o.send_format = true;
  b.append(txn, enc, o, session);
  CHECK(b.sql.rfind("SET GTID_NEXT=", 0) == 0);
  REQUIRE(b.steps.size() >= 3);
  CHECK(b.steps[0].part == replay_part::gtid);
  CHECK(b.steps[1].part == replay_part::format);
  CHECK(b.steps[2].part == replay_part::rows);
}
