// The source list: which source binrelayd uses, from --upstream weights and group views.

#include <catch2/catch.hpp>

#include "common/durable_file.h"
#include "relay/source_list.h"
#include "relay/source_list_file.h"
#include "support/processes.h"

using namespace binrelay;
using namespace binrelay::relay;

namespace {

source_entry configured(std::uint16_t port, std::uint32_t weight = 50) {
  source_entry e;
  e.address = {"127.0.0.1", port};
  e.weight = weight;
  return e;
}

relay::group_member member(std::uint16_t port, std::string state, std::string role) {
  return {"uuid-" + std::to_string(port), "127.0.0.1", port, std::move(state), std::move(role)};
}

group_view view(std::vector<relay::group_member> members) {
  group_view v;
  v.group_name = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa";
  v.reporter_uuid = members.front().uuid;
  v.members = std::move(members);
  return v;
}

std::vector<std::uint16_t> ports(const std::vector<source_address>& choice) {
  std::vector<std::uint16_t> out;
  for (const auto& a : choice) out.push_back(a.port);
  return out;
}

}  // namespace

TEST_CASE("source list: a plain list uses the highest weight first, then the order given") {
  source_list list({configured(1, 40), configured(2, 60), configured(3, 40)});
  CHECK(ports(list.choice()) == std::vector<std::uint16_t>{2, 1, 3});
  CHECK_FALSE(list.has_group());
}

TEST_CASE("source list: one member named learns the group and puts its PRIMARY first") {
  source_list list({configured(2)});
  auto changes =
      list.apply_view(view({member(2, "ONLINE", "SECONDARY"), member(1, "ONLINE", "PRIMARY"),
                            member(3, "RECOVERING", "SECONDARY")}));
  CHECK(ports(list.choice()) == std::vector<std::uint16_t>{1, 2});  // 3 is RECOVERING
  CHECK(list.has_group());
  CHECK(std::find(changes.begin(), changes.end(), "127.0.0.1:1 is the new PRIMARY") !=
        changes.end());
  CHECK(list.distrust_reason({"127.0.0.1", 3}) == "group member RECOVERING");
}

TEST_CASE("source list: an UNREACHABLE primary is avoided and a member that left is dropped") {
  source_list list({configured(2)});
  list.apply_view(view({member(2, "ONLINE", "SECONDARY"), member(1, "ONLINE", "PRIMARY"),
                        member(3, "ONLINE", "SECONDARY")}));
  list.apply_view(view({member(2, "ONLINE", "SECONDARY"), member(1, "UNREACHABLE", "PRIMARY"),
                        member(3, "ONLINE", "SECONDARY")}));
  CHECK(ports(list.choice()) == std::vector<std::uint16_t>{2, 3});
  auto changes =
      list.apply_view(view({member(2, "ONLINE", "SECONDARY"), member(3, "ONLINE", "PRIMARY")}));
  CHECK(ports(list.choice()) == std::vector<std::uint16_t>{3, 2});
  CHECK(std::find(changes.begin(), changes.end(), "127.0.0.1:1 left the group (UNREACHABLE)") !=
        changes.end());
  CHECK(list.snapshot().entries.size() == 2);
}

TEST_CASE("source list: a configured member that left the group stays listed but is not used") {
  source_list list({configured(1, 90), configured(2)});
  list.apply_view(view({member(1, "ONLINE", "PRIMARY"), member(2, "ONLINE", "SECONDARY")}));
  list.apply_view(view({member(2, "ONLINE", "PRIMARY")}));
  CHECK(ports(list.choice()) == std::vector<std::uint16_t>{2});
  CHECK(list.distrust_reason({"127.0.0.1", 1}) == "not a member of the group any more");
}

TEST_CASE("source list: a member in a minority is not trusted until it sees a majority") {
  source_list list({configured(1)});
  list.apply_view(view({member(1, "ONLINE", "PRIMARY"), member(2, "ONLINE", "SECONDARY"),
                        member(3, "ONLINE", "SECONDARY")}));
  list.set_minority({"127.0.0.1", 1}, true);
  CHECK(ports(list.choice()) == std::vector<std::uint16_t>{2, 3});
  list.set_minority({"127.0.0.1", 1}, false);
  CHECK(ports(list.choice()).front() == 1);
}

TEST_CASE("source list: a multi-primary group uses weights, not roles") {
  source_list list({configured(1, 10), configured(2, 70)});
  list.apply_view(view({member(1, "ONLINE", "PRIMARY"), member(2, "ONLINE", "PRIMARY")}));
  CHECK(ports(list.choice()) == std::vector<std::uint16_t>{2, 1});
}

TEST_CASE("group view: quorum needs more than half of the members ONLINE") {
  CHECK(view({member(1, "ONLINE", "PRIMARY"), member(2, "ONLINE", "SECONDARY"),
              member(3, "UNREACHABLE", "SECONDARY")})
            .has_quorum());
  CHECK_FALSE(view({member(1, "ONLINE", "PRIMARY"), member(2, "UNREACHABLE", "SECONDARY"),
                    member(3, "UNREACHABLE", "SECONDARY")})
                  .has_quorum());
  CHECK_FALSE(
      view({member(1, "ONLINE", "PRIMARY"), member(2, "UNREACHABLE", "SECONDARY")}).has_quorum());
}

TEST_CASE("group view: rows of replication_group_members, a bad port is named") {
  std::vector<protocol::text_row> rows = {
      {"u1", "127.0.0.1", "3307", "ONLINE", "PRIMARY"},
      {"u2", "127.0.0.1", "3308", "ONLINE", "SECONDARY"},
  };
  auto v = group_view_from_rows(rows, "u2");
  REQUIRE(v);
  CHECK(v->is_group());
  REQUIRE(v->primary() != nullptr);
  CHECK(v->primary()->port == 3307);
  rows[1][2] = "x";
  auto bad = group_view_from_rows(rows, "u2");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message == "replication_group_members row 2: bad MEMBER_PORT 'x'");
  // Without the plugin running MySQL shows one placeholder row: not a group.
  auto none = group_view_from_rows({{"", "", "0", "OFFLINE", ""}}, "u1");
  REQUIRE(none);
  CHECK_FALSE(none->is_group());
}

TEST_CASE("source list file: the learnt list and the current source survive a restart") {
  test::temp_dir dir;
  REQUIRE(load_source_list(dir.path())->has_value() == false);
  source_list list({configured(2, 70)});
  list.apply_view(view({member(2, "ONLINE", "SECONDARY"), member(1, "ONLINE", "PRIMARY")}));
  list.set_current({"127.0.0.1", 1}, "uuid-1");
  REQUIRE(save_source_list(dir.path(), list.snapshot()));
  auto loaded = load_source_list(dir.path());
  REQUIRE(loaded);
  REQUIRE(loaded->has_value());
  source_list restarted({configured(2, 70)});
  restarted.restore(**loaded);
  CHECK(ports(restarted.choice()) == std::vector<std::uint16_t>{1, 2});
  CHECK(restarted.current_id() == "uuid-1");
  CHECK(restarted.snapshot().group_name == "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa");
  CHECK(restarted.snapshot().entries[0].weight == 70);
}

TEST_CASE("source list file: a bad line is named by file and line number") {
  test::temp_dir dir;
  REQUIRE(binrelay::write_file_durably(dir.path() / "sources.list",
                                       "group_name = x\nsource = nohost 50 configured -\n"));
  auto loaded = load_source_list(dir.path());
  REQUIRE_FALSE(loaded);
  CHECK(loaded.error().code == errc::corrupt);
  CHECK(loaded.error().message.find("sources.list line 2") != std::string::npos);
}
