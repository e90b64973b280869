#pragma once
// event_filter: which events of a sequence of binlog files to print, from mysqlbinlog's and
// mariadb-binlog's selection options:
//
//   --start-position / --stop-position  byte offsets; the start applies to the first file, the
//                                       stop to the last (an event starting at or past it ends
//                                       the output)
//   --start-datetime / --stop-datetime  event timestamps: events before the start are skipped,
//                                       the first event at or past the stop ends the output
//   --database                          Table_maps (and their rows events) and Query events of
//                                       other default databases are skipped; BEGIN, COMMIT,
//                                       ROLLBACK, XA and SAVEPOINT always pass
//   --include-gtids / --exclude-gtids   MySQL GTID sets: whole transactions
//   MariaDB GTID start / stop positions whole event groups: those a start position already
//                                       contains are skipped, and in a domain of the stop
//                                       position those past its seq_no
//
// The FORMAT_DESCRIPTION of every file always passes (it defines how the rest is read and
// replayed). Not thread-safe; one filter per output.

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>

#include "binlog/file_reader.h"
#include "binlog/format_description.h"
#include "gtid/gtid_set.h"
#include "gtid/mariadb_gtid.h"

namespace binrelay::binlog {

struct event_filter_options {
  std::optional<std::uint64_t> start_position;
  std::optional<std::uint64_t> stop_position;
  std::optional<std::uint32_t> start_time;  // Unix seconds
  std::optional<std::uint32_t> stop_time;
  std::optional<std::string> database;
  std::optional<gtid::gtid_set> include_gtids;
  std::optional<gtid::gtid_set> exclude_gtids;
  std::optional<gtid::mariadb_gtid_position> start_gtids;
  std::optional<gtid::mariadb_gtid_position> stop_gtids;
};

enum class filter_verdict { print, skip, stop };

class event_filter {
 public:
  explicit event_filter(event_filter_options options) : options_(std::move(options)) {}

  // Whether any option is set (when not, every event prints and check() need not be called).
  bool active() const;
  // Called before the events of each file.
  void begin_file(bool first, bool last);
  // The verdict for the next event of the current file, in file order. Decodes the event
  // when an option needs its contents; an event that does not decode is printed (the printer
  // reports it).
  filter_verdict check(const raw_event& ev, const format_description& fde);

 private:
  bool skips_transaction(const raw_event& ev, const format_description& fde) const;
  bool skips_for_database(const raw_event& ev, const format_description& fde);

  event_filter_options options_;
  bool first_file_ = true;
  bool last_file_ = true;
  bool in_skipped_transaction_ = false;
  std::unordered_set<std::uint64_t> skipped_tables_;
};

}  // namespace binrelay::binlog
