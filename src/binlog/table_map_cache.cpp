#include "binlog/table_map_cache.h"

namespace binrelay::binlog {

result<const table_map_event*> table_map_cache::add(bytes_view raw_event,
                                                    const format_description& fde) {
  auto owned = std::make_unique<owned_map>();
  owned->raw.assign(raw_event.begin(), raw_event.end());
  auto header = decode_event_header(owned->raw);
  if (!header) return std::move(header).error();
  header->type = fde.canonical_type(header->type);
  std::size_t trailer = fde.checksum_length();
  if (owned->raw.size() < event_header_size + trailer) {
    return make_error(errc::truncated, "Table_map event of {} bytes is too short",
                      owned->raw.size());
  }
  bytes_view body(owned->raw.data() + event_header_size,
                  owned->raw.size() - event_header_size - trailer);
  auto map = decode_table_map_event(*header, body, fde);
  if (!map) return std::move(map).error();
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
