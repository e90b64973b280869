#include "relay/group_view.h"

#include <algorithm>
#include <charconv>

namespace binrelay::relay {

bool group_view::is_group() const {
  return std::any_of(members.begin(), members.end(), [&](const group_member& m) {
    return m.uuid == reporter_uuid && (m.state == "ONLINE" || m.state == "RECOVERING");
  });
}

std::size_t group_view::online_count() const {
  return std::size_t(std::count_if(members.begin(), members.end(),
                                   [](const group_member& m) { return m.state == "ONLINE"; }));
}

bool group_view::multi_primary() const {
  return std::count_if(members.begin(), members.end(),
                       [](const group_member& m) { return m.role == "PRIMARY"; }) > 1;
}

const group_member* group_view::primary() const {
  if (multi_primary()) return nullptr;
  for (const auto& m : members) {
    if (m.role == "PRIMARY" && m.state == "ONLINE") return &m;
  }
  return nullptr;
}

const group_member* group_view::find(const std::string& host, std::uint16_t port) const {
  for (const auto& m : members) {
    if (m.host == host && m.port == port) return &m;
  }
  return nullptr;
}

result<group_view> group_view_from_rows(const std::vector<protocol::text_row>& rows,
                                        std::string reporter_uuid) {
  group_view v;
  v.reporter_uuid = std::move(reporter_uuid);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    if (r.size() < 5) {
      return make_error(errc::corrupt, "replication_group_members row {}: {} columns, expected 5",
                        i + 1, r.size());
    }
    group_member m;
    m.uuid = r[0].value_or("");
    m.host = r[1].value_or("");
    std::string port = r[2].value_or("");
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value > 65535) {
      return make_error(errc::corrupt, "replication_group_members row {}: bad MEMBER_PORT '{}'",
                        i + 1, port);
    }
    m.port = static_cast<std::uint16_t>(value);
    m.state = r[3].value_or("");
    m.role = r[4].value_or("");
    if (m.uuid.empty() && m.host.empty()) continue;  // the plugin's placeholder row
    v.members.push_back(std::move(m));
  }
  return v;
}

}  // namespace binrelay::relay
