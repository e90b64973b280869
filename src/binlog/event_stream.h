#pragma once
// event_stream: the checks every sequence of binlog events goes through, whether it comes
// from a file (file_reader.h) or from a primary's replication stream. Sans-I/O: it is handed
// whole events (header + body + checksum) in order and
//   - tracks the current FORMAT_DESCRIPTION (the file's first event; relay logs hold several),
//     assuming default_format_description() until one arrives;
//   - verifies each event's CRC32 when the current FDE says so (an FDE by its own algorithm;
//     an FDE with LOG_EVENT_BINLOG_IN_USE_F set was checksummed with that flag cleared);
//   - reports encryption: MariaDB START_ENCRYPTION (164) and Percona 5.7 START_5_7_ENCRYPTION
//     (159, never written by MySQL) are followed by ciphertext events;
//   - reports pre-v4 binlogs: v1 (MySQL 3.23, 13-byte headers) is rejected at its first event;
//     v3 (MySQL 4.0/4.1) files are accepted only as far as START_V3, STOP and ROTATE, whose
//     layouts v4 kept; any other event of a v3 file is errc::unsupported.
// Format: docs/formats.md, "Binlog files and transaction payloads".
//
// Error messages describe the event only ("fails its CRC32 check: stored 0x.., computed 0x..");
// the caller prefixes where it is (file_reader adds "<file>: event at offset N (Type, S bytes)").
// Not thread-safe; a value type.

#include <cstdint>
#include <string>

#include "binlog/event_header.h"
#include "binlog/format_description.h"
#include "common/bytes.h"
#include "common/result.h"

namespace binrelay::binlog {

struct event_stream_options {
  bool verify_checksums = true;
  // Flavour of the FDE assumed before the stream's first FDE.
  bool assume_mariadb = false;
};

class event_stream {
 public:
  explicit event_stream(event_stream_options options = {});

  // Checks one whole event and updates the current FDE when it is one.
  // REQUIRES: raw_event.size() == h.event_size, h decoded from raw_event.
  // Errors:
  //   checksum_mismatch — the event may be skipped; the stream state is unchanged (a bad FDE
  //                       is not applied) and the next event can be given;
  //   encrypted         — START_ENCRYPTION; every later event is ciphertext;
  //   unsupported       — binlog format v1, or an event of a v3 file other than
  //   START_V3/STOP/ROTATE; corrupt           — an FDE or START_V3 that does not decode.
  result<void> accept(const event_header& h, bytes_view raw_event);

  // accept() in two steps, for a reader that decides from the header whether to read the
  // body: accept_header() makes the checks that need no body (encryption and legacy markers);
  // accept_body() the rest. An event for which needs_body() is true must get both.
  result<void> accept_header(const event_header& h);
  result<void> accept_body(const event_header& h, bytes_view raw_event);

  // Whether accept() must see this event's body for the stream to stay correct.
  bool needs_body(const event_header& h) const;

  const format_description& format() const { return fde_; }
  // False while the default FDE is assumed (no FDE seen yet).
  bool has_format_description() const { return have_fde_; }
  // The binlog format version: 4, or 3 after a v3 START event.
  std::uint16_t binlog_version() const { return fde_.binlog_version; }
  // Forgets the current FDE (a new file starts).
  void reset();

 private:
  result<void> accept_start_v3(const event_header& h, bytes_view raw_event);
  result<void> accept_fde(const event_header& h, bytes_view raw_event);

  event_stream_options options_;
  format_description fde_;
  bool have_fde_ = false;
  bool seen_first_event_ = false;
};

// "Write_rows_v2" for known types, "type 48" otherwise — for messages.
std::string event_type_label(event_type t);

}  // namespace binrelay::binlog
