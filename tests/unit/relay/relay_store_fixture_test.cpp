// Feeds the events of real binlogs into a relay store, as an upstream would send them, and
// checks the files the store writes: same transactions in the same order, bodies
// byte-identical, log_pos and CRC32 right, GTID headers right, logical clock renumbered per
// file, and mariadb-binlog reads them like it reads the originals.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>

#include "binlog/gtid_event.h"
#include "binlog/transaction_boundary.h"
#include "binlog/transaction_gtid.h"
#include "relay/store_recovery.h"
#include "store_test_support.h"

using namespace binrelay;
using namespace binrelay::test;
using binlog::event_type;

namespace {

struct store_case {
  std::string name;
  std::vector<std::string> fixtures;  // fed in order, like consecutive upstream files
  std::uint64_t max_file_size;
};

const std::vector<store_case>& store_cases() {
  static const std::vector<store_case> cases = {
      {"mysql 5.7 gtids", {"ChaosHour__go-parse/tests/mysql-bin.000012"}, 1 << 30},
      {"mysql 5.7 gtids, tiny files", {"ChaosHour__go-parse/tests/mysql-bin.000012"}, 4096},
      {"mysql 5.7 three upstream files into tiny files",
       {"flike__kingbus/tools/test_data/binlog/mysql_bin.000011",
        "flike__kingbus/tools/test_data/binlog/mysql_bin.000012",
        "flike__kingbus/tools/test_data/binlog/mysql_bin.000013"},
       2500},
      {"mysql 5.7 three upstream files into one file",
       {"flike__kingbus/tools/test_data/binlog/mysql_bin.000011",
        "flike__kingbus/tools/test_data/binlog/mysql_bin.000012",
        "flike__kingbus/tools/test_data/binlog/mysql_bin.000013"},
       1 << 30},
      {"mysql 8.0 gtids across an upstream rotation",
       {"enhancedformysql__mysql-8.0.40/mysql-test/std_data/replicated-bin.000001",
        "enhancedformysql__mysql-8.0.40/mysql-test/std_data/replicated-bin.000002"},
       1000},
      {"mysql 8.0 xa prepare",
       {"enhancedformysql__mysql-8.0.40/mysql-test/std_data/binlog_recovery/"
        "duplicate_xid_xa_commit.000001"},
       1 << 30},
      {"mysql 8.0 compressed transaction payloads",
       {"blackbeam__rust_mysql_common/test-data/binlogs/transaction_compression.000001",
        "osheroff__mysql-binlog-connector-java/src/test/resources/mysql-bin.compressed"},
       300},
      {"mysql 9.6 tagged gtid",
       {"blackbeam__rust_mysql_common/test-data/binlogs/binlog_transaction_with_GTID_TAG.000001"},
       1 << 30},
      {"mariadb 10.0 no checksums, tiny files",
       {"ottok__mariadb-10.3/mysql-test/std_data/mdev6020-mysql-bin.000001"},
       65536},
      {"mariadb 10.3",
       {"ottok__mariadb-10.3/mysql-test/std_data/rpl/master-bin-seq_10.3.36.000001"},
       600},
      {"mariadb 10.5",
       {"blackbeam__rust_mysql_common/test-data/binlogs/mariadb-bin.000001"},
       1 << 30},
      {"mariadb 11.4",
       {"Osso__mariadb-mysql-cdc/fixtures/mixed-binlog/mysql-bin.000001",
        "Osso__mariadb-mysql-cdc/fixtures/mixed-binlog/mysql-bin.000002"},
       1000},
  };
  return cases;
}

binlog::format_description fde_of(const event_list& events) {
  for (const auto& e : events) {
    if (e[4] == std::uint8_t(event_type::format_description)) {
      auto f = binlog::decode_format_description(e);
      REQUIRE(f.has_value());
      return *f;
    }
  }
  FAIL("no FDE");
  return {};
}

int run_mariadb_binlog(const std::filesystem::path& p) {
  std::string cmd = "mariadb-binlog '" + p.string() + "' >/dev/null 2>&1";
  return std::system(cmd.c_str());
}

// GTID of an event, or nullopt.
std::optional<binlog::transaction_gtid> gtid_of(const std::vector<std::uint8_t>& raw,
                                                const binlog::format_description& fde) {
  auto h = binlog::decode_event_header(raw);
  REQUIRE(h.has_value());
  bytes_view body(raw.data() + 19, raw.size() - 19 - fde.checksum_length());
  auto g = binlog::gtid_of_event(*h, body, fde);
  REQUIRE(g.has_value());
  return *g;
}

}  // namespace

TEST_CASE("relay_store: real binlogs are stored event for event with our positions") {
  for (const auto& c : store_cases()) {
    SECTION(c.name) {
      temp_dir dir;
      auto opts = small_store_options(dir.path);
      opts.max_file_size = c.max_file_size;
      auto store = relay::relay_store::open(opts);
      REQUIRE(store.has_value());
      event_list expected;
      binlog::format_description fde;
      std::vector<binlog::format_description> upstream_formats;
      for (const auto& f : c.fixtures) {
        event_list events = read_events(fixture_path(f));
        fde = fde_of(events);
        upstream_formats.push_back(fde);
        feed(**store, events);
        auto exp = expected_data_events(events);
        expected.insert(expected.end(), exp.begin(), exp.end());
      }
      REQUIRE_FALSE(expected.empty());
      const std::size_t ck = fde.checksum_length();
      auto all = read_store(**store);
      auto data = data_events(all);
      REQUIRE(data.size() == expected.size());

      relay::gtid_state want_retrieved;
      want_retrieved.mariadb = fde.is_mariadb();
      for (std::size_t i = 0; i < data.size(); ++i) {
        INFO(c.name << ": data event " << i << " in " << data[i].file << " at " << data[i].offset);
        const auto& got = data[i].bytes;
        const auto& want = expected[i];
        REQUIRE(got.size() == want.size());
        // header: everything but log_pos as the upstream sent it; log_pos = our end offset
        CHECK(std::equal(got.begin(), got.begin() + 13, want.begin()));
        CHECK(std::equal(got.begin() + 17, got.begin() + 19, want.begin() + 17));
        CHECK(data[i].header.log_pos == data[i].offset + got.size());
        // body byte-identical, except a MySQL GTID event's logical clock
        std::vector<std::uint8_t> g(got.begin() + 19, got.end() - ck);
        std::vector<std::uint8_t> w(want.begin() + 19, want.end() - ck);
        if (binlog::read_logical_clock(data[i].header.type, w) && !fde.is_mariadb()) {
          std::fill(g.begin() + 26, g.begin() + 42, 0);
          std::fill(w.begin() + 26, w.begin() + 42, 0);
        }
        CHECK(g == w);
        if (auto gt = gtid_of(want, fde)) binlog::add_gtid(want_retrieved, *gt);
      }
      CHECK((*store)->retrieved() == want_retrieved);

      // Every file: header GTIDs = everything before it; splits only between transactions;
      // MySQL logical clock restarts at (0, 1) and counts up by one.
      auto files = (*store)->files();
      relay::gtid_state before;
      before.mariadb = fde.is_mariadb();
      std::size_t k = 0;
      for (const auto& f : files) {
        INFO(c.name << ": " << f.name);
        auto header = relay::read_file_header(dir.path / f.name);
        REQUIRE(header.has_value());
        CHECK(header->before == before);
        CHECK(f.before == before);
        CHECK(std::any_of(upstream_formats.begin(), upstream_formats.end(),
                          [&](const auto& u) { return relay::same_format(header->fde, u); }));
        binlog::transaction_boundary tb;
        std::uint64_t expect_seq = 1;
        for (; k < data.size() && data[k].file == f.name; ++k) {
          const auto& raw = data[k].bytes;
          bytes_view body(raw.data() + 19, raw.size() - 19 - ck);
          auto role = tb.step(binlog::make_boundary_event(data[k].header, body, fde));
          if (auto gt = gtid_of(raw, fde)) binlog::add_gtid(before, *gt);
          if (fde.is_mariadb()) continue;
          if (auto clock = binlog::read_logical_clock(data[k].header.type, body)) {
            CHECK(clock->sequence_number == expect_seq);
            CHECK(clock->last_committed < clock->sequence_number);
            if (expect_seq == 1) CHECK(clock->last_committed == 0);
            ++expect_seq;
          }
          (void)role;
        }
        CHECK_FALSE(tb.in_transaction());
        if (&f != &files.back()) CHECK(all.back().file != f.name);
      }
      if (c.max_file_size < 5000) CHECK(files.size() > 1);

      // mariadb-binlog reads our files whenever it reads the originals.
      bool original_readable = true;
      for (const auto& f : c.fixtures)
        original_readable &= run_mariadb_binlog(fixture_path(f)) == 0;
      if (original_readable) {
        for (const auto& f : files) {
          INFO("mariadb-binlog " << f.name);
          CHECK(run_mariadb_binlog(dir.path / f.name) == 0);
        }
      }

      // Reopening finds nothing to repair and the same state.
      auto end = (*store)->end_position();
      store->reset();
      auto again = relay::relay_store::open(opts);
      REQUIRE(again.has_value());
      CHECK((*again)->retrieved() == want_retrieved);
      CHECK((*again)->end_position() == end);
    }
  }
}
