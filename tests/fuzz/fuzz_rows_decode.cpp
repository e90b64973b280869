// Fuzzes table map + rows decoding and -vv formatting. Input layout:
//   byte 0: rows event type selector, byte 1: flavour (bit 0 = MariaDB FDE),
//   bytes 2-3: table map body length N (little-endian), then N bytes of table map body,
//   then the rows event body. The remaining bytes are also fed to the binary JSON printer.
#include <cstddef>
#include <cstdint>
#include <string>

#include "binlog/json_binary.h"
#include "binlog/row_format.h"
#include "binlog/rows_event.h"
#include "binlog/table_map_event.h"

using namespace binrelay;
using namespace binrelay::binlog;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  static constexpr std::uint8_t types[] = {23,  24,  25,  30,  31,  32,  39,
                                           166, 167, 168, 169, 170, 171, 20};
  event_type type = static_cast<event_type>(types[data[0] % sizeof(types)]);
  format_description fde = default_format_description(data[1] & 1);
  std::size_t map_len = std::size_t(data[2] | data[3] << 8);
  bytes_view rest(data + 4, size - 4);
  if (map_len > rest.size()) map_len = rest.size();
  bytes_view map_body = rest.subspan(0, map_len);
  bytes_view rows_body = rest.subspan(map_len);

  std::string out;
  (void)json_binary_to_text(rows_body, out);
  event_header mh{0, event_type::table_map, 1, 0, 0, 0};
  event_header rh{0, type, 1, 0, 0, 0};
  auto map = decode_table_map_event(mh, map_body, fde);
  auto rows = decode_rows_event(rh, rows_body, fde);
  if (!map || !rows) return 0;
  out.clear();
  (void)format_rows_event(*rows, *map, out);
  return 0;
}
