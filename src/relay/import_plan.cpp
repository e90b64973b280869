#include "relay/import_plan.h"

#include <algorithm>
#include <charconv>

#include "relay/relay_index.h"

namespace binrelay::relay {

namespace {

struct numbered_name {
  std::string base;
  std::uint64_t number = 0;
};

// "<base>.<digits>" -> {base, number}; nullopt for other names.
std::optional<numbered_name> split_numbered(std::string_view name) {
  auto dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == name.size()) return std::nullopt;
  std::string_view digits = name.substr(dot + 1);
  if (digits.size() > 18 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  numbered_name n{std::string(name.substr(0, dot)), 0};
  std::from_chars(digits.data(), digits.data() + digits.size(), n.number);
  return n;
}

std::string domain_seq_text(const gtid::mariadb_gtid_position& p) {
  std::string out;
  for (const auto& g : p.gtids())
    out += fmt::format("{}{}-*-{}", out.empty() ? "" : ",", g.domain_id, g.seq_no);
  return out;
}

std::string describe(const gtid_state& s) {
  std::string text = s.mariadb ? domain_seq_text(s.position) : s.mysql.to_string();
  return text.empty() ? "(none)" : "'" + text + "'";
}

result<void> check_chain(const import_scan& a, const import_scan& b) {
  if (a.open_transaction_at) {
    return make_error(errc::corrupt,
                      "{} ends inside the transaction that begins at offset {}, but {} follows "
                      "it: {} is incomplete",
                      a.name, *a.open_transaction_at, b.name, a.name);
  }
  if (a.rotate && a.rotate->next_file != b.name) {
    return make_error(errc::invalid_argument,
                      "{} rotates to {}, but the next file given is {}: give every binlog file, "
                      "oldest first",
                      a.name, a.rotate->next_file, b.name);
  }
  if (a.fde.is_mariadb() != b.fde.is_mariadb()) {
    return make_error(errc::invalid_argument, "{} is {} but {} is {}: one log has one flavour",
                      a.name, a.fde.server_version, b.name, b.fde.server_version);
  }
  if (!gtids_continue(a.after, b.before)) {
    return make_error(errc::invalid_argument,
                      "{} does not continue {}: {} ends at GTIDs {} but {} starts after {}", b.name,
                      a.name, a.name, describe(a.after), b.name, describe(b.before));
  }
  return {};
}

result<void> check_continues_store(const existing_store& store, const import_scan& first) {
  if (store.files.empty()) return {};
  const std::string& last = store.files.back().name;
  if (store.retrieved.mariadb != first.fde.is_mariadb()) {
    return make_error(errc::invalid_argument,
                      "the relay log {} holds {} binlogs; {} is {}: import into another "
                      "directory",
                      last, store.retrieved.mariadb ? "MariaDB" : "MySQL", first.name,
                      first.fde.server_version);
  }
  if (!gtids_continue(store.retrieved, first.before)) {
    return make_error(errc::invalid_argument,
                      "the relay log is not empty and {} does not continue it: {} ends at GTIDs "
                      "{} but {} starts after {}; import into an empty directory",
                      first.name, last, describe(store.retrieved), first.name,
                      describe(first.before));
  }
  return {};
}

std::string choose_basename(const std::vector<import_scan>& scans, const existing_store& store,
                            std::string_view requested) {
  if (!requested.empty()) return std::string(requested);
  if (!store.basename.empty()) return store.basename;
  std::optional<std::string> common;
  for (const auto& s : scans) {
    auto n = split_numbered(s.name);
    if (!n || (common && *common != n->base)) return "relay-bin";
    common = n->base;
  }
  return *common;
}

// Store numbers for the inputs: their own when they increase from `first` on (and the first
// is `first` when `exact`), else first, first + 1, ...
std::vector<std::uint64_t> choose_numbers(const std::vector<import_scan>& scans,
                                          std::uint64_t first, bool exact) {
  std::vector<std::uint64_t> kept;
  for (const auto& s : scans) {
    auto n = split_numbered(s.name);
    std::uint64_t least = kept.empty() ? first : kept.back() + 1;
    if (!n || n->number < least || (exact && kept.empty() && n->number != first)) break;
    kept.push_back(n->number);
  }
  if (kept.size() == scans.size()) return kept;
  std::vector<std::uint64_t> numbers;
  for (std::size_t i = 0; i < scans.size(); ++i) numbers.push_back(first + i);
  return numbers;
}

result<void> check_basename(std::string_view basename) {
  bool bad =
      basename.empty() || basename.find('/') != std::string_view::npos || basename.front() == '.';
  if (bad) {
    return make_error(errc::invalid_argument,
                      "relay log name '{}' must be a file name (no '/', not starting with '.')",
                      basename);
  }
  return {};
}

planned_file plan_file(const import_scan& s, std::size_t input, std::string name) {
  planned_file f;
  f.input = input;
  f.name = std::move(name);
  f.copy_end = s.size;
  if (s.in_use) f.changes.push_back("LOG_EVENT_BINLOG_IN_USE_F cleared in the Format_desc");
  if (s.open_transaction_at) {
    f.copy_end = *s.open_transaction_at;
    f.changes.push_back(fmt::format("left out the unfinished transaction at offset {} ({} bytes)",
                                    *s.open_transaction_at, s.size - *s.open_transaction_at));
  }
  return f;
}

// Points a closing ROTATE at `next` when it names another file.
void aim_rotate(const import_scan& s, planned_file& f, const std::string& next) {
  if (!s.rotate || s.rotate->next_file == next) return;
  f.rotate_to = next;
  f.copy_end = s.rotate->offset;
  f.changes.push_back(
      fmt::format("closing Rotate renamed from {} to {}", s.rotate->next_file, next));
}

}  // namespace

bool gtids_continue(const gtid_state& end, const gtid_state& start) {
  if (end.mariadb != start.mariadb) return false;
  if (!end.mariadb) return end.mysql == start.mysql;
  if (end.position.size() != start.position.size()) return false;
  for (const auto& g : end.position.gtids()) {
    const gtid::mariadb_gtid* other = start.position.get(g.domain_id);
    if (other == nullptr || other->seq_no != g.seq_no) return false;
  }
  return true;
}

result<import_plan> plan_import(const std::vector<import_scan>& scans, const existing_store& store,
                                std::string_view basename) {
  for (std::size_t i = 0; i + 1 < scans.size(); ++i) {
    if (auto r = check_chain(scans[i], scans[i + 1]); !r) return std::move(r).error();
  }
  if (auto r = check_continues_store(store, scans.front()); !r) return std::move(r).error();
  import_plan plan;
  plan.basename = choose_basename(scans, store, basename);
  if (auto r = check_basename(plan.basename); !r) return std::move(r).error();
  std::uint64_t first = store.files.empty() ? 1 : store.files.back().number + 1;
  if (store.last_empty) {
    plan.replaced = store.files.back().name;
    first = store.files.back().number;
  }
  auto numbers = choose_numbers(scans, first, store.last_empty);
  for (std::size_t i = 0; i < scans.size(); ++i) {
    plan.files.push_back(plan_file(scans[i], i, relay_file_name(plan.basename, numbers[i])));
  }
  for (std::size_t i = 0; i + 1 < scans.size(); ++i) {
    aim_rotate(scans[i], plan.files[i], plan.files[i + 1].name);
  }
  const import_scan& last = scans.back();
  if (plan.files.back().copy_end > last.committed_end || last.rotate) {
    plan.continuation = relay_file_name(plan.basename, numbers.back() + 1);
    aim_rotate(last, plan.files.back(), *plan.continuation);
  }
  plan.end = last.after;
  return plan;
}

}  // namespace binrelay::relay
