#include "rows_test_support.h"

#include <sstream>

namespace binrelay::binlog::test {

std::vector<walked_event> walk_events(const std::vector<std::uint8_t>& file,
                                      format_description& fde) {
  std::vector<walked_event> out;
  fde = default_format_description(false);
  std::size_t pos = 4;
  while (pos + event_header_size <= file.size()) {
    bytes_view rest(file.data() + pos, file.size() - pos);
    auto h = decode_event_header(rest);
    if (!h || h->event_size > rest.size()) break;
    bytes_view ev = rest.subspan(0, h->event_size);
    if (h->type == event_type::format_description) {
      if (auto f = decode_format_description(ev)) fde = *f;
      pos += h->event_size;
      continue;
    }
    std::size_t tail = fde.checksum_length();
    if (ev.size() < event_header_size + tail) break;
    out.push_back({*h, pos, ev.subspan(event_header_size, ev.size() - event_header_size - tail)});
    pos += h->event_size;
  }
  return out;
}

std::string render_rows(const std::vector<std::uint8_t>& file) {
  format_description fde;
  std::string text;
  std::map<std::uint64_t, table_map_event> maps;
  for (const walked_event& e : walk_events(file, fde)) {
    if (e.header.type == event_type::table_map) {
      auto t = decode_table_map_event(e.header, e.body, fde);
      if (!t) {
        text += "ERROR: " + t.error().message + "\n";
        continue;
      }
      maps.insert_or_assign(t->table_id, std::move(*t));
    } else if (is_rows_event(e.header.type)) {
      auto r = decode_rows_event(e.header, e.body, fde);
      if (!r) {
        text += "ERROR: " + r.error().message + "\n";
        continue;
      }
      auto m = maps.find(r->table_id);
      if (m == maps.end()) {
        text += "### Row event for unknown table #" + std::to_string(r->table_id) + "\n";
        continue;
      }
      if (auto f = format_rows_event(*r, m->second, text); !f)
        text += "ERROR: " + f.error().message + "\n";
    }
  }
  return text;
}

std::string hash_lines(const std::string& text) {
  std::istringstream in(text);
  std::string line, out;
  while (std::getline(in, line))
    if (line.rfind("###", 0) == 0) out += line + "\n";
  return out;
}

}  // namespace binrelay::binlog::test
