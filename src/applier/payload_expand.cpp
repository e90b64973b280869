#include "applier/payload_expand.h"

#include <algorithm>
#include <vector>

#include "binlog/checksum.h"
#include "binlog/event_header.h"
#include "binlog/transaction_boundary.h"
#include "binlog/transaction_payload.h"

namespace binrelay::applier {
namespace {

using binlog::event_type;

struct event_span {
  binlog::event_header header;
  bytes_view bytes;  // whole event
  bytes_view body;   // between header and checksum
};

// Calls f(event_span) -> result<void> for each event of `events` (format `fde`).
template <class F>
result<void> each_event(bytes_view events, const binlog::format_description& fde, F&& f) {
  std::size_t header_length = std::max<std::size_t>(fde.header_length, binlog::event_header_size);
  std::size_t tail = fde.checksum_length();
  while (!events.empty()) {
    auto h = binlog::decode_event_header(events);
    if (!h) return std::move(h).error();
    if (h->event_size > events.size() || h->event_size < header_length + tail) {
      return make_error(errc::corrupt, "{} event of {} bytes does not fit the transaction",
                        binlog::event_type_name(h->type), h->event_size);
    }
    bytes_view bytes = events.first(h->event_size);
    auto r =
        f(event_span{*h, bytes, bytes.subspan(header_length, bytes.size() - header_length - tail)});
    if (!r) return r;
    events = events.subspan(h->event_size);
  }
  return {};
}

// Appends the inner events of one payload event to `out`, re-checksummed for `fde`.
result<void> append_inner(const event_span& outer, const binlog::format_description& fde,
                          std::vector<std::uint8_t>& out) {
  auto payload = binlog::decode_transaction_payload_event(outer.header, outer.body, fde);
  if (!payload) return std::move(payload).error();
  auto inner = binlog::decompress_transaction_payload(*payload);
  if (!inner) return std::move(inner).error();
  binlog::payload_event_iterator it(*inner);
  while (true) {
    auto next = it.next();
    if (!next) return std::move(next).error();
    if (!*next) return {};
    std::vector<std::uint8_t> event((*next)->bytes.begin(), (*next)->bytes.end());
    store_u32(event.data() + binlog::log_pos_offset, outer.header.log_pos);
    binlog::finalize_event(event, fde.checksum);
    out.insert(out.end(), event.begin(), event.end());
  }
}

}  // namespace

bool has_payload(const relay_transaction& txn) {
  bool found = false;
  (void)each_event(txn.events, *txn.format, [&](const event_span& ev) -> result<void> {
    found = found || ev.header.type == event_type::transaction_payload;
    return {};
  });
  return found;
}

result<void> expand_payload(relay_transaction& txn) {
  std::vector<std::uint8_t> events;
  const auto& fde = *txn.format;
  auto r = each_event(txn.events, fde, [&](const event_span& ev) -> result<void> {
    if (ev.header.type == event_type::transaction_payload) return append_inner(ev, fde, events);
    events.insert(events.end(), ev.bytes.begin(), ev.bytes.end());
    return {};
  });
  if (!r) return r;
  bool begin = false;
  bool statement = false;
  r = each_event(events, fde, [&](const event_span& ev) -> result<void> {
    if (ev.header.type != event_type::query) return {};
    auto kind = binlog::classify_query_event(ev.body, fde);
    begin = begin || kind == binlog::query_kind::begin;
    statement = statement || kind == binlog::query_kind::other;
    return {};
  });
  if (!r) return r;
  txn.events = std::move(events);
  txn.has_begin = begin;
  txn.schedule.exclusive = !begin || statement;
  return {};
}

}  // namespace binrelay::applier
