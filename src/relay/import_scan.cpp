#include "relay/import_scan.h"

#include "binlog/control_events.h"
#include "binlog/event_type.h"
#include "binlog/file_reader.h"
#include "binlog/transaction_boundary.h"
#include "binlog/transaction_gtid.h"

namespace binrelay::relay {

using binlog::event_type;

namespace {

std::string_view name_of(event_type t) {
  return binlog::event_type_name(t);
}

// The Format_desc and the GTIDs event; fills fde, server_id, in_use, header_end, before.
result<void> scan_header(binlog::file_reader& reader, import_scan& s) {
  auto first = reader.next();
  if (!first) return std::move(first).error();
  if (!*first || (*first)->header.type != event_type::format_description) {
    return make_error(errc::unsupported, "{}: does not start with a Format_desc event", s.name);
  }
  s.server_id = (*first)->header.server_id;
  s.in_use = ((*first)->header.flags & binlog::flag_binlog_in_use) != 0;
  s.fde = reader.format();
  auto second = reader.next();
  if (!second) return std::move(second).error();
  if (!*second) {
    return make_error(errc::truncated, "{}: ends after its Format_desc event at offset {}", s.name,
                      reader.position());
  }
  auto type = (*second)->header.type;
  if (type != event_type::previous_gtids && type != event_type::mariadb_gtid_list) {
    return make_error(errc::unsupported,
                      "{}: the event at offset {} is {}, not Previous_gtids or Gtid_list: "
                      "binrelay needs the GTID header that MySQL 5.6+ and MariaDB 10.0+ write "
                      "at the start of a binlog (this one was written by {})",
                      s.name, (*second)->offset, name_of(type), s.fde.server_version);
  }
  auto header = read_file_header(s.path);
  if (!header) return std::move(header).error();
  s.before = header->before;
  s.after = header->before;
  s.header_end = header->end_offset;
  s.committed_end = header->end_offset;
  return {};
}

// The events after the header, one at a time.
class event_scanner {
 public:
  explicit event_scanner(import_scan& s) : s_(s) {}

  result<void> step(const binlog::raw_event& e, const binlog::format_description& fde) {
    event_type type = fde.canonical_type(e.header.type);
    if (type == event_type::format_description) {
      return make_error(errc::unsupported,
                        "{}: a second Format_desc at offset {}: a relay log or concatenated "
                        "binlogs; import the source server's binlog files instead",
                        s_.name, e.offset);
    }
    if (s_.rotate || s_.stopped) {
      return make_error(errc::unsupported,
                        "{}: {} at offset {} follows the file's closing {}: not a single binlog",
                        s_.name, name_of(type), e.offset, s_.rotate ? "Rotate" : "Stop");
    }
    bytes_view body = e.body(fde);
    if (type == event_type::rotate || type == event_type::stop) return on_end(e, type, body, fde);
    return on_data(e, type, body, fde);
  }

 private:
  result<void> on_end(const binlog::raw_event& e, event_type type, bytes_view body,
                      const binlog::format_description& fde) {
    if (boundary_.in_transaction()) {
      return make_error(errc::corrupt,
                        "{}: {} at offset {} inside the transaction that begins "
                        "at offset {}",
                        s_.name, name_of(type), e.offset, *s_.open_transaction_at);
    }
    if (type == event_type::stop) {
      s_.stopped = true;
      return {};
    }
    auto rotate = binlog::decode_rotate_event(e.header, body, fde);
    if (!rotate) {
      return make_error(errc::corrupt, "{}: Rotate at offset {}: {}", s_.name, e.offset,
                        rotate.error().message);
    }
    s_.rotate = closing_rotate{e.offset, e.bytes.size(), std::string(rotate->new_log_name)};
    return {};
  }

  result<void> on_data(const binlog::raw_event& e, event_type type, bytes_view body,
                       const binlog::format_description& fde) {
    binlog::event_role role = boundary_.step(binlog::make_boundary_event(e.header, body, fde));
    if (role == binlog::event_role::broken) {
      return make_error(errc::corrupt,
                        "{}: {} at offset {} cannot follow the events before it "
                        "(an impossible transaction sequence)",
                        s_.name, name_of(type), e.offset);
    }
    if (role == binlog::event_role::begins || role == binlog::event_role::whole) {
      auto g = binlog::gtid_of_event(e.header, body, fde);
      if (!g) {
        return make_error(errc::corrupt, "{}: {} at offset {}: {}", s_.name, name_of(type),
                          e.offset, g.error().message);
      }
      pending_ = *g;
      s_.open_transaction_at = e.offset;
    }
    if (role == binlog::event_role::ends || role == binlog::event_role::whole) {
      if (pending_) binlog::add_gtid(s_.after, *pending_);
      pending_.reset();
      s_.open_transaction_at.reset();
      ++s_.transactions;
      s_.committed_end = e.offset + e.bytes.size();
    }
    return {};
  }

  import_scan& s_;
  binlog::transaction_boundary boundary_;
  std::optional<binlog::transaction_gtid> pending_;
};

}  // namespace

result<import_scan> scan_for_import(const std::filesystem::path& path) {
  import_scan s;
  s.path = path;
  s.name = path.filename().string();
  auto reader = binlog::file_reader::open(path);
  if (!reader) return std::move(reader).error();
  if (auto h = scan_header(*reader, s); !h) return std::move(h).error();
  event_scanner scanner(s);
  while (true) {
    auto next = reader->next();
    if (!next) return std::move(next).error();
    if (!*next) break;
    if ((*next)->offset < s.header_end) continue;
    if (auto r = scanner.step(**next, reader->format()); !r) return std::move(r).error();
  }
  s.size = reader->position();
  return s;
}

}  // namespace binrelay::relay
