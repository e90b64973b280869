// Crash recovery: a relay log cut at any byte, a corrupt tail, and index/directory
// inconsistencies left by crashes during rotation and purge.

#include <catch2/catch.hpp>

#include <fstream>
#include <map>

#include "relay/relay_index.h"
#include "relay/store_recovery.h"
#include "store_test_support.h"
#include "support/fixtures.h"

using namespace binrelay;
using namespace binrelay::test;
namespace fs = std::filesystem;

namespace {

// A store built from a fixture, with the retrieved state after each complete transaction.
struct built_store {
  std::string last_file;
  std::vector<std::uint8_t> bytes;                    // the last file
  std::map<std::uint64_t, relay::gtid_state> states;  // transaction end offset -> retrieved
  std::uint64_t header_end = 0;
};

built_store build(const fs::path& dir, const std::string& fixture, std::uint64_t max_size) {
  auto opts = small_store_options(dir);
  opts.max_file_size = max_size;
  auto store = relay::relay_store::open(opts);
  REQUIRE(store.has_value());
  built_store b;
  for (const auto& e : read_events(fixture_path(fixture))) {
    REQUIRE((*store)->append(e).has_value());
    auto end = (*store)->end_position();
    if (end.file.empty()) continue;
    if (end.file != b.last_file) b.states.clear();
    b.last_file = end.file;
    b.states[end.offset] = (*store)->retrieved();
  }
  b.bytes = read_file(dir / b.last_file);
  b.header_end = b.states.begin()->first;
  return b;
}

void write_bytes(const fs::path& p, const std::vector<std::uint8_t>& bytes, std::size_t n) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(n));
}

void copy_store(const fs::path& from, const fs::path& to) {
  fs::remove_all(to);
  fs::copy(from, to);
}

}  // namespace

TEST_CASE(
    "store_recovery: a last file cut at every offset recovers to the previous transaction end") {
  for (std::string fixture :
       {std::string("flike__kingbus/tools/test_data/binlog/mysql_bin.000011"),
        std::string("blackbeam__rust_mysql_common/test-data/binlogs/mariadb-bin.000001")}) {
    SECTION(fixture) {
      temp_dir src, work;
      built_store b = build(src.path, fixture, 1 << 30);
      REQUIRE(b.states.size() > 2);
      fs::path work_dir = work.path / "store";
      // Every byte of the last three transactions, a sample of the earlier ones.
      std::uint64_t dense_from =
          b.states.size() > 4 ? std::prev(b.states.end(), 4)->first : b.header_end;
      for (std::size_t cut = b.header_end; cut <= b.bytes.size();
           cut += cut >= dense_from ? 1 : 11) {
        copy_store(src.path, work_dir);
        write_bytes(work_dir / b.last_file, b.bytes, cut);
        auto store = relay::relay_store::open(small_store_options(work_dir));
        INFO("cut at " << cut);
        REQUIRE(store.has_value());
        auto boundary = std::prev(b.states.upper_bound(cut));
        CHECK((*store)->end_position() == relay::log_position{b.last_file, boundary->first});
        CHECK((*store)->retrieved() == boundary->second);
        auto after = read_file(work_dir / b.last_file);
        REQUIRE(after.size() == boundary->first);
        CHECK(std::equal(after.begin(), after.end(), b.bytes.begin()));
      }
    }
  }
}

TEST_CASE("store_recovery: a corrupt byte in the last transaction truncates that transaction") {
  temp_dir dir;
  built_store b =
      build(dir.path, "flike__kingbus/tools/test_data/binlog/mysql_bin.000011", 1 << 30);
  auto last = std::prev(b.states.end());
  auto before_last = std::prev(last);
  auto bytes = b.bytes;
  bytes[before_last->first + 40] ^= 0x5a;  // inside the last transaction's first event
  write_bytes(dir.path / b.last_file, bytes, bytes.size());
  auto rec = relay::recover_store(dir.path, "relay-bin", {});
  REQUIRE(rec.has_value());
  REQUIRE(rec->actions.size() == 1);
  CHECK(rec->actions[0].find("CRC32") != std::string::npos);
  CHECK(rec->retrieved == before_last->second);
  CHECK(fs::file_size(dir.path / b.last_file) == before_last->first);
}

TEST_CASE("store_recovery: index and directory disagree after crashes") {
  temp_dir dir;
  // Six files: tiny max size.
  built_store b = build(dir.path, "flike__kingbus/tools/test_data/binlog/mysql_bin.000011", 1200);
  auto names = relay::read_index(dir.path, "relay-bin");
  REQUIRE(names.has_value());
  REQUIRE(names->size() >= 4);
  auto full = relay::recover_store(dir.path, "relay-bin", {});
  REQUIRE(full.has_value());
  CHECK(full->actions.empty());

  SECTION("a file created but not yet in the index is adopted") {
    auto shorter = *names;
    shorter.pop_back();
    REQUIRE(relay::write_index(dir.path, "relay-bin", shorter).has_value());
    auto rec = relay::recover_store(dir.path, "relay-bin", {});
    REQUIRE(rec.has_value());
    CHECK(rec->names == *names);
    CHECK(rec->retrieved == full->retrieved);
    CHECK(*relay::read_index(dir.path, "relay-bin") == *names);
  }
  SECTION("a new file whose header is torn is deleted") {
    fs::path extra = dir.path / relay::relay_file_name("relay-bin", names->size() + 1);
    write_bytes(extra, b.bytes, 30);
    auto rec = relay::recover_store(dir.path, "relay-bin", {});
    REQUIRE(rec.has_value());
    CHECK(rec->names == *names);
    CHECK_FALSE(fs::exists(extra));
  }
  SECTION("a listed last file that is missing is removed from the index") {
    fs::remove(dir.path / names->back());
    auto rec = relay::recover_store(dir.path, "relay-bin", {});
    REQUIRE(rec.has_value());
    CHECK(rec->names.size() == names->size() - 1);
    CHECK(rec->retrieved.mysql.is_subset_of(full->retrieved.mysql));
    auto scan = relay::scan_relay_file(dir.path / rec->names.back());
    REQUIRE(scan.has_value());
    CHECK(rec->retrieved == scan->after);
  }
  SECTION("a missing file in the middle is an error") {
    fs::remove(dir.path / (*names)[1]);
    auto rec = relay::recover_store(dir.path, "relay-bin", {});
    REQUIRE_FALSE(rec.has_value());
    CHECK(rec.error().code == errc::not_found);
  }
  SECTION("a purged file still on disk is deleted, a purged file gone is fine") {
    auto kept = std::vector<std::string>(names->begin() + 2, names->end());
    REQUIRE(relay::write_index(dir.path, "relay-bin", kept).has_value());
    fs::remove(dir.path / (*names)[1]);
    auto rec = relay::recover_store(dir.path, "relay-bin", {});
    REQUIRE(rec.has_value());
    CHECK(rec->names == kept);
    CHECK_FALSE(fs::exists(dir.path / (*names)[0]));
  }
  SECTION("a last file holding only the magic is deleted") {
    write_bytes(dir.path / names->back(), b.bytes, 4);
    auto rec = relay::recover_store(dir.path, "relay-bin", {});
    REQUIRE(rec.has_value());
    CHECK(rec->names.size() == names->size() - 1);
    CHECK_FALSE(fs::exists(dir.path / names->back()));
  }
  SECTION("the closing Rotate of an unfinished rotation is cut off") {
    fs::remove(dir.path / names->back());
    auto shorter = *names;
    shorter.pop_back();
    REQUIRE(relay::write_index(dir.path, "relay-bin", shorter).has_value());
    auto size_with_rotate = fs::file_size(dir.path / shorter.back());
    auto rec = relay::recover_store(dir.path, "relay-bin", {});
    REQUIRE(rec.has_value());
    REQUIRE(rec->actions.size() == 1);
    CHECK(rec->actions[0].find("Rotate") != std::string::npos);
    CHECK(fs::file_size(dir.path / shorter.back()) < size_with_rotate);
    // and the store continues appending to it
    auto store = relay::relay_store::open(small_store_options(dir.path));
    REQUIRE(store.has_value());
    CHECK((*store)->end_position().file == shorter.back());
  }
}
