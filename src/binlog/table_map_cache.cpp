#include "binlog/table_map_cache.h"

#include <algorithm>

namespace binrelay::binlog {

result<const table_map_event*> table_map_cache::add(bytes_view raw_event,
                                                    const format_description& fde) {
  auto header = decode_event_header(raw_event);
  if (!header) return std::move(header).error();
  header->type = fde.canonical_type(header->type);
  const std::size_t size = std::min<std::size_t>(header->event_size, raw_event.size());
  const std::size_t head = std::max<std::size_t>(event_header_size, fde.header_length);
  const std::size_t trailer = fde.checksum_length();
  if (size < head + trailer) {
    return make_error(errc::truncated, "Table_map event of {} bytes is too short", size);
  }
  const bytes_view body = raw_event.subspan(head, size - head - trailer);
  const std::uint8_t post_header = fde.post_header_length(event_type::table_map);
  // The table id leads the body: 4 bytes when the post-header is 6 bytes long, else 6.
  const std::size_t id_size = post_header == 6 ? 4 : 6;
  if (body.size() >= id_size) {
    const std::uint64_t id = id_size == 4 ? load_le<4>(body.data()) : load_le<6>(body.data());
    auto it = maps_.find(id);
    if (it != maps_.end() && it->second->post_header_length == post_header &&
        std::equal(body.begin(), body.end(), it->second->body.begin(), it->second->body.end())) {
      return &it->second->map;
    }
  }
  auto owned = std::make_unique<owned_map>();
  owned->body.assign(body.begin(), body.end());
  owned->post_header_length = post_header;
  auto map = decode_table_map_event(*header, owned->body, fde);
  if (!map) return std::move(map).error();
  ++decoded_;
  owned->map = std::move(*map);
  const table_map_event* out = &owned->map;
  maps_[out->table_id] = std::move(owned);
  return out;
}

const table_map_event* table_map_cache::find(std::uint64_t table_id) const {
  auto it = maps_.find(table_id);
  return it == maps_.end() ? nullptr : &it->second->map;
}

}  // namespace binrelay::binlog
