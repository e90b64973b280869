#include "gtid/mariadb_gtid.h"

#include <algorithm>
#include <charconv>

namespace binrelay::gtid {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

std::string_view trim(std::string_view s, std::size_t* leading = nullptr) {
  std::size_t b = 0;
  while (b < s.size() && is_space(s[b])) ++b;
  std::size_t e = s.size();
  while (e > b && is_space(s[e - 1])) --e;
  if (leading) *leading = b;
  return s.substr(b, e - b);
}

// Parses one decimal field of a GTID that starts at `offset` in the caller's text.
template <class T>
result<T> parse_field(std::string_view whole, std::string_view part, std::size_t offset,
                      std::string_view name) {
  std::size_t lead = 0;
  const std::string_view digits = trim(part, &lead);
  T value{};
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || ec != std::errc{} || ptr != digits.data() + digits.size() ||
      digits[0] == '+' || digits[0] == '-') {
    const char* why = ec == std::errc::result_out_of_range ? "is out of range" : "is not a number";
    return make_error(errc::invalid_argument, "MariaDB GTID '{}': {} '{}' at offset {} {}", whole,
                      name, digits, offset + lead, why);
  }
  return value;
}

}  // namespace

result<mariadb_gtid> mariadb_gtid::parse(std::string_view text) {
  const std::size_t d1 = text.find('-');
  const std::size_t d2 = d1 == text.npos ? text.npos : text.find('-', d1 + 1);
  if (d2 == text.npos || text.find('-', d2 + 1) != text.npos) {
    return make_error(errc::invalid_argument,
                      "MariaDB GTID '{}': expected domain-server-seq (three numbers, two '-')",
                      text);
  }
  auto domain = parse_field<std::uint32_t>(text, text.substr(0, d1), 0, "domain id");
  if (!domain) return domain.error();
  auto server =
      parse_field<std::uint32_t>(text, text.substr(d1 + 1, d2 - d1 - 1), d1 + 1, "server id");
  if (!server) return server.error();
  auto seq = parse_field<std::uint64_t>(text, text.substr(d2 + 1), d2 + 1, "sequence number");
  if (!seq) return seq.error();
  return mariadb_gtid{*domain, *server, *seq};
}

std::string mariadb_gtid::to_string() const {
  return fmt::format("{}-{}-{}", domain_id, server_id, seq_no);
}

result<mariadb_gtid_position> mariadb_gtid_position::parse(std::string_view text) {
  mariadb_gtid_position pos;
  if (trim(text).empty()) return pos;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    const std::string_view part =
        text.substr(start, comma == text.npos ? text.npos : comma - start);
    if (trim(part).empty()) {
      return make_error(errc::invalid_argument, "MariaDB GTID position: empty element at offset {}",
                        start);
    }
    auto g = mariadb_gtid::parse(part);
    if (!g) {
      return make_error(errc::invalid_argument, "MariaDB GTID position, element at offset {}: {}",
                        start, g.error().message);
    }
    if (const mariadb_gtid* old = pos.get(g->domain_id)) {
      return make_error(errc::invalid_argument,
                        "MariaDB GTID position: {} and {} conflict (duplicate domain id {})",
                        old->to_string(), g->to_string(), g->domain_id);
    }
    pos.update(*g);
    if (comma == text.npos) return pos;
    start = comma + 1;
  }
}

std::string mariadb_gtid_position::to_string() const {
  std::string out;
  for (const mariadb_gtid& g : gtids_) {
    if (!out.empty()) out += ',';
    out += g.to_string();
  }
  return out;
}

namespace {
auto domain_less = [](const mariadb_gtid& g, std::uint32_t d) { return g.domain_id < d; };
}  // namespace

void mariadb_gtid_position::update(const mariadb_gtid& g) {
  auto it = std::lower_bound(gtids_.begin(), gtids_.end(), g.domain_id, domain_less);
  if (it != gtids_.end() && it->domain_id == g.domain_id) {
    *it = g;
  } else {
    gtids_.insert(it, g);
  }
}

bool mariadb_gtid_position::erase(std::uint32_t domain_id) {
  auto it = std::lower_bound(gtids_.begin(), gtids_.end(), domain_id, domain_less);
  if (it == gtids_.end() || it->domain_id != domain_id) return false;
  gtids_.erase(it);
  return true;
}

const mariadb_gtid* mariadb_gtid_position::get(std::uint32_t domain_id) const {
  auto it = std::lower_bound(gtids_.begin(), gtids_.end(), domain_id, domain_less);
  return it != gtids_.end() && it->domain_id == domain_id ? &*it : nullptr;
}

bool mariadb_gtid_position::contains(const mariadb_gtid& g) const {
  const mariadb_gtid* mine = get(g.domain_id);
  return mine != nullptr && g.seq_no <= mine->seq_no;
}

bool mariadb_gtid_position::includes(const mariadb_gtid_position& other) const {
  for (const mariadb_gtid& g : other.gtids_) {
    if (!contains(g)) return false;
  }
  return true;
}

}  // namespace binrelay::gtid
