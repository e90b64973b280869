#include "relay/source_list_file.h"

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "common/durable_file.h"

namespace binrelay::relay {
namespace fs = std::filesystem;

namespace {

constexpr const char* file_name = "sources.list";

std::string dash(const std::string& s) {
  return s.empty() ? "-" : s;
}
std::string undash(const std::string& s) {
  return s == "-" ? "" : s;
}

std::optional<source_address> parse_address(const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return std::nullopt;
  try {
    unsigned long port = std::stoul(text.substr(colon + 1));
    if (port > 65535) return std::nullopt;
    return source_address{text.substr(0, colon), static_cast<std::uint16_t>(port)};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::optional<source_entry> parse_entry(std::istringstream& in) {
  std::string address, origin, member, uuid, state, role;
  source_entry e;
  if (!(in >> address >> e.weight >> origin >> member)) return std::nullopt;
  auto a = parse_address(address);
  if (!a || (origin != "configured" && origin != "group")) return std::nullopt;
  e.address = *a;
  e.origin = origin == "group" ? source_origin::group : source_origin::configured;
  e.group_member = member == "member";
  if (e.group_member) {
    if (!(in >> uuid >> state >> role)) return std::nullopt;
    e.member_uuid = undash(uuid);
    e.member_state = undash(state);
    e.member_role = undash(role);
  }
  return e;
}

// One line into `s`; false when it cannot be used.
bool parse_line(const std::string& line, source_list_snapshot& s) {
  std::istringstream in(line);
  std::string key, eq;
  if (!(in >> key >> eq) || eq != "=") return false;
  if (key == "group_name") {
    in >> s.group_name;
    return true;
  }
  if (key == "current") {
    std::string address;
    if (!(in >> address)) return false;
    s.current = parse_address(address);
    std::getline(in >> std::ws, s.current_id);
    return s.current.has_value();
  }
  if (key != "source") return false;
  auto e = parse_entry(in);
  if (e) s.entries.push_back(std::move(*e));
  return e.has_value();
}

std::string render(const source_list_snapshot& s) {
  std::string out = "# binrelayd's source list (docs/failover.md); rewritten on every change\n";
  if (!s.group_name.empty()) out += fmt::format("group_name = {}\n", s.group_name);
  if (s.current)
    out += fmt::format("current = {} {}\n", s.current->to_string(), dash(s.current_id));
  for (const auto& e : s.entries) {
    out += fmt::format("source = {} {} {} ", e.address.to_string(), e.weight,
                       e.origin == source_origin::group ? "group" : "configured");
    out += e.group_member ? fmt::format("member {} {} {}\n", dash(e.member_uuid),
                                        dash(e.member_state), dash(e.member_role))
                          : "-\n";
  }
  return out;
}

}  // namespace

result<std::optional<source_list_snapshot>> load_source_list(const fs::path& dir) {
  fs::path path = dir / file_name;
  std::ifstream in(path);
  if (!in) {
    if (!fs::exists(path)) return std::optional<source_list_snapshot>();
    return make_error(errc::io_error, "cannot read {}", path.string());
  }
  source_list_snapshot s;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    if (!parse_line(line, s))
      return make_error(errc::corrupt, "{} line {}: cannot use '{}'", path.string(), number, line);
  }
  if (s.current_id == "-") s.current_id.clear();
  return std::optional<source_list_snapshot>(std::move(s));
}

result<void> save_source_list(const fs::path& dir, const source_list_snapshot& s) {
  return write_file_durably(dir / file_name, render(s));
}

}  // namespace binrelay::relay
