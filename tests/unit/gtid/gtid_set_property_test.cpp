// Property tests: every gtid_set operation against the naive model in gtid_model.h, over
// 10,000 random cases each with a fixed seed (failures are reproducible).

#include <algorithm>
#include <iterator>

#include <catch2/catch.hpp>

#include "common/bytes.h"
#include "gtid_model.h"

using namespace binrelay;
using namespace binrelay::gtid;
using namespace binrelay::gtid::test;

namespace {

constexpr int cases = 10000;

model model_union(const model& a, const model& b) {
  model r = a;
  r.insert(b.begin(), b.end());
  return r;
}
model model_intersection(const model& a, const model& b) {
  model r;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::inserter(r, r.end()));
  return r;
}
model model_difference(const model& a, const model& b) {
  model r;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::inserter(r, r.end()));
  return r;
}

// The binary encoding of the model, built independently of gtid_set::encode_binary.
std::vector<std::uint8_t> model_binary(const model& m) {
  const auto runs = model_runs(m);
  bool tagged = false;
  std::vector<std::pair<int, int>> keys;
  for (const auto& r : runs) {
    tagged = tagged || r.tag != 0;
    if (keys.empty() || keys.back() != std::pair{r.sid, r.tag}) keys.emplace_back(r.sid, r.tag);
  }
  std::vector<std::uint8_t> out;
  byte_writer w(out);
  const std::uint64_t n = keys.size();
  w.u64(tagged ? (std::uint64_t{1} << 56) | (n << 8) | 1 : n);
  for (const auto& [s, t] : keys) {
    w.bytes(model_uuids()[s].bytes);
    if (tagged) {
      w.u8(static_cast<std::uint8_t>(model_tags()[t].size() * 2));
      w.str(model_tags()[t]);
    }
    std::vector<model_run> mine;
    for (const auto& r : runs) {
      if (r.sid == s && r.tag == t) mine.push_back(r);
    }
    w.u64(mine.size());
    for (const auto& r : mine) {
      w.u64(r.first);
      w.u64(r.last + 1);
    }
  }
  return out;
}

// Random text for the model: shuffled, overlapping pieces, random case and whitespace.
std::string scrambled_text(model_rng& rng, const model& m) {
  std::vector<std::string> pieces;
  for (const auto& r : model_runs(m)) {
    // Split some runs into overlapping halves to exercise merging.
    std::uint64_t mid = r.first + rng.below(r.last - r.first + 1);
    std::vector<std::pair<std::uint64_t, std::uint64_t>> parts = {{r.first, r.last}};
    if (rng.one_in(3)) parts = {{r.first, mid}, {mid, r.last}};
    for (const auto& [a, b] : parts) {
      std::string uuid_text = model_uuids()[r.sid].to_string();
      std::string tag_text = model_tags()[r.tag];
      if (rng.one_in(2)) {
        for (char& c : uuid_text) c = static_cast<char>(std::toupper(c));
        for (char& c : tag_text) c = static_cast<char>(std::toupper(c));
      }
      const char* ws = rng.one_in(3) ? " \n\t" : "";
      std::string p = uuid_text + ws + ":" + ws;
      if (!tag_text.empty()) p += tag_text + ws + ":" + ws;
      p += std::to_string(a);
      if (a != b || rng.one_in(4)) p += std::string(ws) + "-" + ws + std::to_string(b);
      pieces.push_back(p);
    }
  }
  std::shuffle(pieces.begin(), pieces.end(), rng.engine());
  std::string text = rng.one_in(4) ? " ,\n" : "";
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    if (i > 0) text += rng.one_in(3) ? " ,\n " : ",";
    text += pieces[i];
  }
  return text;
}

}  // namespace

TEST_CASE("gtid_set property: union matches the model", "[gtid][property]") {
  model_rng rng(1);
  for (int i = 0; i < cases; ++i) {
    const universe u = rng.pick_universe();
    const model a = rng.random_model(u), b = rng.random_model(u);
    gtid_set s = to_gtid_set(a);
    s.add(to_gtid_set(b));
    REQUIRE(to_model(s) == model_union(a, b));
    REQUIRE(s == to_gtid_set(model_union(a, b)));
  }
}

TEST_CASE("gtid_set property: intersection matches the model", "[gtid][property]") {
  model_rng rng(2);
  for (int i = 0; i < cases; ++i) {
    const universe u = rng.pick_universe();
    const model a = rng.random_model(u), b = rng.random_model(u);
    const gtid_set s = set_intersection(to_gtid_set(a), to_gtid_set(b));
    REQUIRE(to_model(s) == model_intersection(a, b));
    REQUIRE(s == to_gtid_set(model_intersection(a, b)));  // no empty entries left behind
  }
}

TEST_CASE("gtid_set property: subtraction matches the model", "[gtid][property]") {
  model_rng rng(3);
  for (int i = 0; i < cases; ++i) {
    const universe u = rng.pick_universe();
    const model a = rng.random_model(u), b = rng.random_model(u, 12);
    const gtid_set s = set_difference(to_gtid_set(a), to_gtid_set(b));
    REQUIRE(to_model(s) == model_difference(a, b));
    REQUIRE(s == to_gtid_set(model_difference(a, b)));
  }
}

TEST_CASE("gtid_set property: is_subset_of matches the model", "[gtid][property]") {
  model_rng rng(4);
  int subsets = 0;
  for (int i = 0; i < cases; ++i) {
    const universe u = rng.pick_universe();
    const model a = rng.random_model(u);
    model b = rng.random_model(u);
    if (rng.one_in(2)) b = model_union(b, a);  // make true answers common
    if (rng.one_in(4) && !b.empty()) b.erase(std::next(b.begin(), rng.below(b.size())));
    const bool expected = std::includes(b.begin(), b.end(), a.begin(), a.end());
    subsets += expected;
    REQUIRE(to_gtid_set(a).is_subset_of(to_gtid_set(b)) == expected);
  }
  REQUIRE(subsets > cases / 4);
  REQUIRE(subsets < cases * 3 / 4 + cases / 8);
}

TEST_CASE("gtid_set property: contains matches the model", "[gtid][property]") {
  model_rng rng(5);
  for (int i = 0; i < cases; ++i) {
    const universe u = rng.pick_universe();
    const model a = rng.random_model(u);
    const gtid_set s = to_gtid_set(a);
    for (int probe = 0; probe < 8; ++probe) {
      const gtid_key k{rng.sid(), rng.tag(), rng.gno(u)};
      const auto& [si, ti, g] = k;
      REQUIRE(s.contains(model_uuids()[si], model_tags()[ti], g) == (a.count(k) == 1));
    }
  }
}

TEST_CASE("gtid_set property: add of single gtids and intervals matches the model",
          "[gtid][property]") {
  model_rng rng(6);
  for (int i = 0; i < cases; ++i) {
    const universe u = rng.pick_universe();
    model m;
    gtid_set s;
    const int steps = 1 + static_cast<int>(rng.below(16));
    for (int step = 0; step < steps; ++step) {
      const int si = rng.sid(), ti = rng.tag();
      std::uint64_t g = rng.gno(u);
      const std::uint64_t len = rng.one_in(3) ? 1 + rng.below(6) : 1;
      if (rng.one_in(2)) {
        // A stream of consecutive transactions: the append fast path.
        for (std::uint64_t k = 0; k < len && g + k <= u.base + universe::width; ++k) {
          s.add(model_uuids()[si], model_tags()[ti], g + k);
          m.insert({si, ti, g + k});
        }
      } else {
        const std::uint64_t end = std::min(g + len, u.base + universe::width + 1);
        s.add_interval(model_uuids()[si], model_tags()[ti], g, end);
        for (; g < end; ++g) m.insert({si, ti, g});
      }
    }
    REQUIRE(to_model(s) == m);
    REQUIRE(s == to_gtid_set(m));
  }
}

TEST_CASE("gtid_set property: count and empty match the model", "[gtid][property]") {
  model_rng rng(7);
  for (int i = 0; i < cases; ++i) {
    const model a = rng.random_model(rng.pick_universe());
    const gtid_set s = to_gtid_set(a);
    REQUIRE(s.count() == a.size());
    REQUIRE(s.empty() == a.empty());
  }
}

TEST_CASE("gtid_set property: text prints as MySQL does and parses back", "[gtid][property]") {
  model_rng rng(8);
  for (int i = 0; i < cases; ++i) {
    const model a = rng.random_model(rng.pick_universe());
    const gtid_set s = to_gtid_set(a);
    const std::string text = s.to_string();
    REQUIRE(text == model_text(a));
    auto back = gtid_set::parse(text);
    REQUIRE(back);
    REQUIRE(*back == s);
    const std::string scrambled = scrambled_text(rng, a);
    auto parsed = gtid_set::parse(scrambled);
    INFO(scrambled);
    REQUIRE(parsed);
    REQUIRE(to_model(*parsed) == a);
  }
}

TEST_CASE("gtid_set property: binary encoding is MySQL's and decodes back", "[gtid][property]") {
  model_rng rng(9);
  for (int i = 0; i < cases; ++i) {
    const model a = rng.random_model(rng.pick_universe());
    const gtid_set s = to_gtid_set(a);
    std::vector<std::uint8_t> bytes;
    s.encode_binary(bytes);
    REQUIRE(bytes == model_binary(a));
    REQUIRE(bytes.size() == s.encoded_binary_size());
    auto back = gtid_set::decode_binary(bytes);
    REQUIRE(back);
    REQUIRE(*back == s);
  }
}
