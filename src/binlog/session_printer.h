#pragma once
// session_printer: the SQL that puts a client session into the state a statement ran in on
// its source, as mysqlbinlog and mariadb-binlog print it before each Query event and for each
// GTID event, so that `binrelay-inspect FILES | mysql` (or `| mariadb`) replays the binlog:
//
//   use `db`/*!*/;                                   (when the default database changes)
//   SET TIMESTAMP=1796655103[.123456]/*!*/;
//   SET @@session.pseudo_thread_id=9/*!*/;           (first, then for temporary tables)
//   SET @@session.foreign_key_checks=1, ...          (flags2: the bits that changed)
//   SET @@session.sql_mode=1168113696/*!*/;          (and auto_increment, charsets, time zone,
//   ...                                               lc_time_names, collation_database, ...)
//
// Like mysqlbinlog it remembers what it printed and prints a variable again only when a later
// event carries a different value. MySQL GTIDs become `SET @@SESSION.GTID_NEXT= 'uuid:N'` with
// the commit timestamps and server versions; MariaDB GTIDs `SET @@session.gtid_domain_id`,
// `server_id`, `gtid_seq_no` and `START TRANSACTION` for a transaction. Every statement ends
// with the `/*!*/;` delimiter the output declares (`DELIMITER /*!*/;`).
//
// Not thread-safe. One printer per output stream; reset() at a new binlog file is not needed
// (a session continues across the files of one output, as in mysqlbinlog).

#include <cstdint>
#include <optional>
#include <string>

#include "binlog/gtid_event.h"
#include "binlog/mariadb_events.h"
#include "binlog/query_event.h"

namespace binrelay::binlog {

class session_printer {
 public:
  // `mariadb`: the flavour of the binlog (the names MariaDB's flags2 bits and charsets get).
  // Prints the session lines before a Query event's statement, then the statement and its
  // delimiter. `header_flags` are the event header's flags (thread-specific, suppress use).
  void print_query(const query_event& q, std::uint32_t timestamp, std::uint16_t header_flags,
                   bool mariadb, std::string& out);
  // Prints a MySQL GTID's session lines (timestamps as comments, GTID_NEXT). `with_gtid_next`
  // false (--skip-gtids) leaves out GTID_NEXT.
  void print_gtid(const gtid_event& g, bool with_gtid_next, std::string& out);
  // Prints a MariaDB GTID's session lines and, unless it is a standalone (DDL) event group,
  // `START TRANSACTION`.
  void print_mariadb_gtid(const mariadb_gtid_event& g, bool with_gtid, std::string& out);
  // After a MySQL GTID_NEXT was printed: `SET @@SESSION.GTID_NEXT= 'AUTOMATIC'`, which must
  // come before the next file's FDE (a BINLOG statement) and at the end of the output.
  void print_gtid_next_automatic(std::string& out);

 private:
  void print_flags2(std::uint32_t flags2, bool mariadb, std::string& out);
  void print_charset(const query_status_vars& s, bool mariadb, std::string& out);
  void print_other_vars(const query_status_vars& s, std::string& out);
  // "YYYY-MM-DD hh:mm:ss.ffffff UTC" of a commit timestamp (the date part cached per second).
  void append_utc_microseconds(std::uint64_t micros, std::string& out);

  std::string db_;
  std::optional<std::uint32_t> thread_id_;
  std::optional<std::uint32_t> flags2_;
  std::optional<std::uint64_t> sql_mode_;
  std::optional<std::uint32_t> auto_increment_;  // increment << 16 | offset
  std::optional<std::uint64_t> charset_;         // client << 32 | connection << 16 | server
  std::optional<std::string> time_zone_;
  std::optional<std::uint16_t> lc_time_names_;
  std::optional<std::uint16_t> charset_database_;  // 0: DEFAULT
  std::optional<std::uint8_t> explicit_defaults_;
  std::optional<std::uint16_t> default_collation_utf8mb4_;
  // MariaDB GTID session variables.
  std::optional<std::uint32_t> domain_id_;
  std::optional<std::uint32_t> server_id_;
  std::optional<bool> skip_parallel_;
  bool printed_gtid_next_ = false;
  // Caches of the per-transaction text.
  gtid::uuid sid_;
  std::string sid_text_;
  std::uint64_t utc_second_ = 0;
  std::string utc_text_;
};

}  // namespace binrelay::binlog
