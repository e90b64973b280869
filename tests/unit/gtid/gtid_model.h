#pragma once
// A naive reference model of a GTID set for property tests: a std::set of (uuid index, tag
// index, gno) over a small universe, and random generators of sets and operations on it.

#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "gtid/gtid_set.h"

namespace binrelay::gtid::test {

using gtid_key = std::tuple<int, int, std::uint64_t>;  // uuid index, tag index, gno
using model = std::set<gtid_key>;

// Sorted ascending by bytes, so index order == uuid order.
inline const std::vector<uuid>& model_uuids() {
  static const std::vector<uuid> u = {
      *uuid::parse("00000000-0000-0000-0000-000000000001"),
      *uuid::parse("3e11fa47-71ca-11e1-9e33-c80aa9429562"),
      *uuid::parse("ffffffff-ffff-ffff-ffff-fffffffffff0"),
  };
  return u;
}
// Sorted ascending, "" (untagged) first.
inline const std::vector<std::string>& model_tags() {
  static const std::vector<std::string> t = {"", "_x", "a", "b_1"};
  return t;
}

// Gnos are drawn from a window of 48 numbers, sometimes ending at max_gno to exercise limits.
struct universe {
  std::uint64_t base = 0;  // gnos are base + 1 .. base + 48
  static constexpr std::uint64_t width = 48;
};

class model_rng {
 public:
  explicit model_rng(std::uint64_t seed) : rng_(seed) {}

  std::uint64_t below(std::uint64_t n) { return rng_() % n; }
  bool one_in(std::uint64_t n) { return below(n) == 0; }
  universe pick_universe() { return universe{one_in(8) ? max_gno - universe::width : 0}; }
  int sid() { return static_cast<int>(below(model_uuids().size())); }
  // Untagged most of the time, like real sets.
  int tag() { return one_in(2) ? 0 : static_cast<int>(below(model_tags().size())); }
  std::uint64_t gno(const universe& u) { return u.base + 1 + below(universe::width); }

  // A random set of up to `max_intervals` random intervals.
  model random_model(const universe& u, int max_intervals = 8) {
    model m;
    const int n = static_cast<int>(below(max_intervals + 1));
    for (int i = 0; i < n; ++i) {
      const int s = sid(), t = tag();
      const std::uint64_t start = gno(u);
      const std::uint64_t len = 1 + below(one_in(4) ? 20 : 4);
      for (std::uint64_t g = start; g < start + len && g <= u.base + universe::width; ++g) {
        m.insert({s, t, g});
      }
    }
    return m;
  }

  std::mt19937_64& engine() { return rng_; }

 private:
  std::mt19937_64 rng_;
};

inline gtid_set to_gtid_set(const model& m) {
  gtid_set s;
  for (const auto& [s_i, t_i, g] : m) s.add(model_uuids()[s_i], model_tags()[t_i], g);
  return s;
}

inline int uuid_index(const uuid& u) {
  for (std::size_t i = 0; i < model_uuids().size(); ++i) {
    if (model_uuids()[i] == u) return static_cast<int>(i);
  }
  return -1;
}
inline int tag_index(const std::string& t) {
  for (std::size_t i = 0; i < model_tags().size(); ++i) {
    if (model_tags()[i] == t) return static_cast<int>(i);
  }
  return -1;
}

// Expands a gtid_set back into the model (sets here only hold small intervals).
inline model to_model(const gtid_set& s) {
  model m;
  for (const auto& e : s.entries()) {
    for (const auto& iv : e.intervals) {
      for (std::uint64_t g = iv.start; g < iv.end_exclusive; ++g) {
        m.insert({uuid_index(e.sid), tag_index(e.tag), g});
      }
    }
  }
  return m;
}

// Runs of consecutive gnos per (uuid, tag), in model order: the intervals MySQL would print.
struct model_run {
  int sid, tag;
  std::uint64_t first, last;
};
inline std::vector<model_run> model_runs(const model& m) {
  std::vector<model_run> runs;
  for (const auto& [s, t, g] : m) {
    if (!runs.empty() && runs.back().sid == s && runs.back().tag == t &&
        runs.back().last + 1 == g) {
      runs.back().last = g;
    } else {
      runs.push_back({s, t, g, g});
    }
  }
  return runs;
}

// MySQL's text for the model, built independently of gtid_set::to_string.
inline std::string model_text(const model& m) {
  std::string out;
  int prev_sid = -1, prev_tag = -1;
  for (const auto& r : model_runs(m)) {
    if (r.sid != prev_sid) {
      if (prev_sid >= 0) out += ",\n";
      out += model_uuids()[r.sid].to_string();
      prev_tag = -1;
    }
    if (r.tag != prev_tag && r.tag != 0) out += ":" + model_tags()[r.tag];
    out += ":" + std::to_string(r.first);
    if (r.last != r.first) out += "-" + std::to_string(r.last);
    prev_sid = r.sid;
    prev_tag = r.tag;
  }
  return out;
}

}  // namespace binrelay::gtid::test
