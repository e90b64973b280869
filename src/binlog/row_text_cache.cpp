#include "binlog/row_text_cache.h"

#include <algorithm>
#include <charconv>

#include "binlog/row_format.h"

namespace binrelay::binlog {
namespace {

void append_decimal(std::uint64_t v, std::string& out) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out.append(buf, std::size_t(r.ptr - buf));
}

}  // namespace

const std::vector<rows_text_cache::column_text>& rows_text_cache::columns(
    const table_map_event& map) {
  auto key_of = [](const column_info& c) {
    return column_key{c.type, c.meta, c.nullable, c.length};
  };
  auto it = entries_.find(&map);
  if (it != entries_.end() && it->second.key.size() == map.columns.size() &&
      std::equal(map.columns.begin(), map.columns.end(), it->second.key.begin(),
                 [&](const column_info& c, const column_key& k) { return key_of(c) == k; })) {
    return it->second.text;
  }
  if (it == entries_.end()) {
    if (entries_.size() >= max_entries) entries_.clear();
    it = entries_.emplace(&map, entry{}).first;
  }
  entry& e = it->second;
  e.key.clear();
  e.text.clear();
  for (std::size_t i = 0; i < map.columns.size(); ++i) {
    const column_info& c = map.columns[i];
    e.key.push_back(key_of(c));
    column_text t;
    t.prefix = "###   @";
    append_decimal(i + 1, t.prefix);
    t.prefix += '=';
    std::string comment = " /* ";
    format_type_name(c, comment);
    comment += " meta=";
    append_decimal(c.meta, comment);
    comment += c.nullable ? " nullable=1" : " nullable=0";
    t.value_end = comment + " is_null=0 */\n";
    t.null_end = comment + " is_null=1 */\n";
    e.text.push_back(std::move(t));
  }
  return e.text;
}

}  // namespace binrelay::binlog
