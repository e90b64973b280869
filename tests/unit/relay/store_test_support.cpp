#include "store_test_support.h"

#include <catch2/catch.hpp>

#include <unistd.h>
#include <atomic>

#include "binlog/file_reader.h"
#include "binlog/transaction_boundary.h"
#include "support/fixtures.h"

namespace binrelay::test {

namespace fs = std::filesystem;

fs::path fixture_path(const std::string& name) {
  return fixtures_dir() / name;
}

event_list read_events(const fs::path& path) {
  auto r = binlog::file_reader::open(path);
  REQUIRE(r.has_value());
  event_list out;
  while (true) {
    auto e = r->next();
    REQUIRE(e.has_value());
    if (!*e) break;
    out.emplace_back((*e)->bytes.begin(), (*e)->bytes.end());
  }
  return out;
}

temp_dir::temp_dir() {
  static std::atomic<int> counter{0};
  path = fs::path(BINRELAY_BUILD_DIR) / "tmp" /
         ("relay-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::remove_all(path);
  fs::create_directories(path);
}

temp_dir::~temp_dir() {
  std::error_code ec;
  fs::remove_all(path, ec);
}

relay::store_options small_store_options(const fs::path& dir) {
  relay::store_options o;
  o.directory = dir;
  o.basename = "relay-bin";
  o.server_id = 77;
  o.sync.mode = relay::sync_mode::none;
  return o;
}

std::vector<stored_event> read_store(const relay::relay_store& store) {
  std::vector<stored_event> out;
  auto files = store.files();
  for (const auto& f : files) {
    auto r = binlog::file_reader::open(store.options().directory / f.name);
    REQUIRE(r.has_value());
    while (true) {
      auto e = r->next();
      INFO(f.name);
      REQUIRE(e.has_value());
      if (!*e || (*e)->offset >= f.size) break;
      const auto& ev = **e;
      out.push_back({f.name, ev.offset, ev.header, {ev.bytes.begin(), ev.bytes.end()}});
    }
  }
  return out;
}

std::vector<stored_event> data_events(const std::vector<stored_event>& all) {
  std::vector<stored_event> out;
  for (const auto& e : all) {
    if (!binlog::is_control_event(e.header.type)) out.push_back(e);
  }
  return out;
}

event_list expected_data_events(const event_list& fixture) {
  event_list out, pending;
  binlog::transaction_boundary tb;
  binlog::format_description fde;
  for (const auto& raw : fixture) {
    auto h = binlog::decode_event_header(raw);
    REQUIRE(h.has_value());
    if (h->type == binlog::event_type::format_description) {
      auto f = binlog::decode_format_description(raw);
      REQUIRE(f.has_value());
      fde = *f;
      continue;
    }
    bytes_view body(raw.data() + 19, raw.size() - 19 - fde.checksum_length());
    auto role = tb.step(binlog::make_boundary_event(*h, body, fde));
    REQUIRE(role != binlog::event_role::broken);
    if (role == binlog::event_role::control) continue;
    pending.push_back(raw);
    if (role == binlog::event_role::ends || role == binlog::event_role::whole) {
      out.insert(out.end(), pending.begin(), pending.end());
      pending.clear();
    }
  }
  return out;
}

void feed(relay::relay_store& store, const event_list& events) {
  for (std::size_t i = 0; i < events.size(); ++i) {
    auto r = store.append(events[i]);
    INFO("event " << i << ": " << (r ? std::string() : r.error().message));
    REQUIRE(r.has_value());
  }
}

}  // namespace binrelay::test
