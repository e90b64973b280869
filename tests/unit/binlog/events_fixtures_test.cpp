// Every `ok` fixture: every event verifies its checksum, decodes, and the events binrelay
// can write re-encode to their exact original bytes.

#include <catch2/catch.hpp>

#include "binlog/checksum.h"
#include "binlog/event.h"
#include "binlog/event_encoders.h"
#include "events_test_support.h"

namespace binrelay::binlog {
namespace {

using test::walk_events;

// Re-encodes a decoded event when binrelay has an encoder for its type; nullopt otherwise.
std::optional<event_bytes> reencode(const decoded_event& d, const format_description& fde) {
  const auto alg = fde.checksum;
  return std::visit(
      [&](const auto& e) -> std::optional<event_bytes> {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, format_description>) {
          return encode_format_description_event(d.header, e);
        } else if constexpr (std::is_same_v<T, rotate_event>) {
          return encode_rotate_event(d.header, e, alg);
        } else if constexpr (std::is_same_v<T, previous_gtids_event>) {
          return encode_previous_gtids_event(d.header, e.gtids, alg);
        } else if constexpr (std::is_same_v<T, gtid_event>) {
          return encode_gtid_event(d.header, e, alg);
        } else if constexpr (std::is_same_v<T, mariadb_gtid_event>) {
          return encode_mariadb_gtid_event(d.header, e, alg);
        } else if constexpr (std::is_same_v<T, mariadb_gtid_list_event>) {
          return encode_mariadb_gtid_list_event(d.header, e, alg);
        } else if constexpr (std::is_same_v<T, heartbeat_event>) {
          return encode_heartbeat_event(d.header, e, alg);
        } else if constexpr (std::is_same_v<T, query_event>) {
          if (e.compressed) return std::nullopt;
          return encode_query_event(d.header, e, alg);
        } else {
          return std::nullopt;
        }
      },
      d.body);
}

// The FDE a file starts with: its own, or the default one (no FDE, or a v3 START event).
format_description initial_format(const test::walked_event& first) {
  if (first.header.type == event_type::format_description) {
    auto f = decode_format_description(first.bytes);
    if (f) return *f;
  }
  return default_format_description(false);
}

// Events of `ok` fixtures that are corrupt in fact; each must fail to decode.
struct known_bad_event {
  const char* file_suffix;
  std::uint64_t offset;
  const char* why;
};
constexpr known_bad_event known_bad_events[] = {
    {"corrupt-relay-bin.000624", 91204,
     "Query event whose status_vars_len (16949) exceeds its 152-byte body: the garbage event "
     "of MySQL's corrupt-relay-log test; MySQL's own decoder marks it invalid too"},
};

const known_bad_event* known_bad(const std::string& file, std::uint64_t offset) {
  for (const auto& k : known_bad_events) {
    std::string_view s(k.file_suffix);
    if (k.offset == offset && file.size() >= s.size() && file.ends_with(s)) return &k;
  }
  return nullptr;
}

struct file_report {
  std::size_t events = 0, checksums = 0, reencoded = 0, status_blocks = 0;
  std::vector<std::string> failures;
};

void check_event(const std::string& file, const test::walked_event& ev, format_description& fde,
                 file_report& rep) {
  auto fail = [&](const std::string& what) {
    rep.failures.push_back(
        fmt::format("offset {} ({}): {}", ev.offset, event_type_name(ev.header.type), what));
  };
  if (ev.header.type == event_type::format_description) {
    auto f = decode_format_description(ev.bytes);
    if (!f) return fail(f.error().describe());
    fde = *f;
  }
  if (fde.checksum == checksum_alg::crc32) {
    auto ok = verify_event_checksum(ev.bytes, fde.checksum, ev.offset);
    if (!ok) return fail(ok.error().describe());
    ++rep.checksums;
  }
  auto d = decode_event(ev.bytes, fde);
  if (known_bad(file, ev.offset)) {
    if (d) fail("decodes although listed in known_bad_events");
    ++rep.events;
    return;
  }
  if (!d) return fail(d.error().describe());
  ++rep.events;
  // Encoders write standard 19-byte headers; MariaDB's test files with longer ones are skipped.
  if (fde.header_length != event_header_size) return;
  if (auto again = reencode(*d, fde)) {
    if (bytes_view(*again).size() != ev.bytes.size() ||
        !std::equal(again->begin(), again->end(), ev.bytes.begin())) {
      return fail("re-encoded " + to_hex(*again) + " != " + to_hex(ev.bytes));
    }
    ++rep.reencoded;
  }
  if (auto* q = std::get_if<query_event>(&d->body); q && !q->status.unknown_status_code) {
    std::vector<std::uint8_t> block;
    encode_query_status_vars(q->status, block);
    if (!std::equal(block.begin(), block.end(), q->status_vars_raw.begin(),
                    q->status_vars_raw.end())) {
      return fail("status vars re-encode " + to_hex(block) + " != " + to_hex(q->status_vars_raw));
    }
    ++rep.status_blocks;
  }
}

TEST_CASE("events: every ok fixture verifies, decodes and re-encodes byte-exact",
          "[events][fixtures]") {
  std::size_t files = 0, events = 0, checksums = 0, reencoded = 0, status_blocks = 0;
  for (const auto& fx : test::all_fixtures()) {
    if (fx.expect != "ok") continue;
    auto image = test::read_file(fx.path);
    auto evs = walk_events(image);
    INFO(fx.name);
    REQUIRE(!evs.empty());
    format_description fde = initial_format(evs.front());
    file_report rep;
    for (const auto& ev : evs) check_event(fx.name, ev, fde, rep);
    CHECK(rep.failures == std::vector<std::string>{});
    CHECK(rep.events == fx.event_total);
    ++files;
    events += rep.events;
    checksums += rep.checksums;
    reencoded += rep.reencoded;
    status_blocks += rep.status_blocks;
  }
  CHECK(files == 179);
  CHECK(checksums > 10000);
  CHECK(reencoded > 1000);
  CHECK(status_blocks > 1000);
  WARN(fmt::format("{} files, {} events, {} CRCs, {} re-encoded, {} status blocks", files, events,
                   checksums, reencoded, status_blocks));
}

}  // namespace
}  // namespace binrelay::binlog
