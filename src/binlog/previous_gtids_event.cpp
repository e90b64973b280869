#include "binlog/previous_gtids_event.h"

namespace binrelay::binlog {

result<previous_gtids_event> decode_previous_gtids_event(const event_header&, bytes_view body,
                                                         const format_description&) {
  auto set = gtid::gtid_set::decode_binary(body);
  if (!set) {
    return make_error(set.error().code, "Previous_gtids event: {}", set.error().message);
  }
  return previous_gtids_event{std::move(*set), body};
}

}  // namespace binrelay::binlog
