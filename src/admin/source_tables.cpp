#include "admin/source_tables.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "protocol/server_errors.h"
#include "protocol/server_result_set.h"

namespace binrelay::admin {
namespace {

using protocol::integer_column;
using protocol::text_column;

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string yes_no(bool b) {
  return b ? "Yes" : "No";
}

std::uint32_t managed_weight(const relay::source_entry& e) {
  if (!e.group_member) return e.weight;
  return e.member_role == "PRIMARY" ? relay::managed_primary_weight
                                    : relay::managed_secondary_weight;
}

}  // namespace

relay::query_answer replica_sources_result(const relay::source_list_snapshot& sources,
                                           const relay::upstream_snapshot& upstream) {
  protocol::result_set rs(
      {text_column("Host"), integer_column("Port", true), integer_column("Weight", true),
       text_column("Origin"), text_column("Member_Id"), text_column("Member_State"),
       text_column("Member_Role"), text_column("Group_Name"), text_column("Current"),
       text_column("Usable"), text_column("Last_Error", 1024), text_column("Errant_Gtids", 1024)});
  for (const auto& e : sources.entries) {
    bool current = sources.current && *sources.current == e.address;
    rs.add_row({e.address.host, std::to_string(e.address.port), std::to_string(e.weight),
                e.origin == relay::source_origin::group ? "group" : "configured", e.member_uuid,
                e.member_state, e.member_role, e.group_member ? sources.group_name : "",
                yes_no(current), e.distrust.empty() ? "Yes" : e.distrust, e.last_error,
                current ? upstream.errant_gtids : ""});
  }
  return rs.release();
}

relay::query_answer select_from_table(const sql::select_statement& s,
                                      const relay::source_list_snapshot& sources) {
  if (s.from != failover_table) {
    return protocol::make_err_packet(1146, fmt::format("Table '{}' doesn't exist", s.from));
  }
  const std::vector<std::string> names = {"CHANNEL_NAME",      "HOST",   "PORT",
                                          "NETWORK_NAMESPACE", "WEIGHT", "MANAGED_NAME"};
  std::vector<std::size_t> picked;
  for (const auto& item : s.items) {
    bool star = item.value.type == sql::expression::kind::identifier && item.value.text == "*";
    std::size_t before = picked.size();
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (star || same_name(item.source_text, names[i])) picked.push_back(i);
    }
    if (picked.size() == before) {
      return protocol::make_err_packet(
          1054, fmt::format("Unknown column '{}' in 'field list'", item.source_text));
    }
  }
  std::vector<protocol::column_definition> columns;
  for (auto i : picked) {
    columns.push_back(i == 2 || i == 4 ? integer_column(names[i], true) : text_column(names[i]));
  }
  protocol::result_set rs(std::move(columns));
  for (const auto& e : sources.entries) {
    if (s.limit && rs.row_count() >= *s.limit) break;
    const std::vector<std::string> all = {"",
                                          e.address.host,
                                          std::to_string(e.address.port),
                                          "",
                                          std::to_string(managed_weight(e)),
                                          e.group_member ? sources.group_name : ""};
    protocol::text_row row;
    for (auto i : picked) row.push_back(all[i]);
    rs.add_row(std::move(row));
  }
  return rs.release();
}

}  // namespace binrelay::admin
