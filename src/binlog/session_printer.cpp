#include "binlog/session_printer.h"

#include <charconv>
#include <ctime>
#include <iterator>
#include <string_view>

#include <fmt/format.h>

#include "binlog/charset_names.h"
#include "binlog/transaction_boundary.h"

namespace binrelay::binlog {
namespace {

using namespace std::string_view_literals;

template <class... Args>
void put(std::string& out, fmt::format_string<Args...> f, Args&&... args) {
  fmt::format_to(std::back_inserter(out), f, std::forward<Args>(args)...);
}

// flags2 bits (OPTION_* of the server's THD) and the session variable each stands for.
struct flags2_bit {
  std::uint32_t bit;
  std::string_view variable;
  bool inverted;  // the variable is 1 when the bit is clear
  bool mariadb_only;
};
constexpr flags2_bit flags2_bits[] = {
    {1u << 26, "foreign_key_checks", true, false},
    {1u << 14, "sql_auto_is_null", false, false},
    {1u << 27, "unique_checks", true, false},
    {1u << 19, "autocommit", true, false},
    {1u << 15, "check_constraint_checks", true, true},
    {1u << 28, "sql_if_exists", false, true},
    {1u << 24, "explicit_defaults_for_timestamp", false, true},
    {1u << 30, "system_versioning_insert_history", false, true},
};

// Whether `slot` must be printed for `value` (never printed, or printed with another value);
// records the value.
template <class T, class U>
bool changed(std::optional<T>& slot, const U& value) {
  if (slot && *slot == value) return false;
  slot = value;
  return true;
}

// The lines below are printed once per transaction: built by appending, no format parsing.
void append_number(std::uint64_t v, std::string& out) {
  char text[20];
  auto r = std::to_chars(text, text + sizeof text, v);
  out.append(text, std::size_t(r.ptr - text));
}

// `v` zero-padded to at least 6 digits (fmt's {:06}): the microseconds of a timestamp.
void append_micros(std::uint64_t v, std::string& out) {
  char text[20];
  auto r = std::to_chars(text, text + sizeof text, v);
  const auto n = std::size_t(r.ptr - text);
  if (n < 6) out.append(6 - n, '0');
  out.append(text, n);
}

// `prefix` N `suffix`.
void line(std::string& out, std::string_view prefix, std::uint64_t n, std::string_view suffix) {
  out += prefix;
  append_number(n, out);
  out += suffix;
}

}  // namespace

void session_printer::append_utc_microseconds(std::uint64_t micros, std::string& out) {
  const std::uint64_t second = micros / 1000000;
  if (second != utc_second_ || utc_text_.empty()) {
    std::time_t t = std::time_t(second);
    std::tm tm{};
    gmtime_r(&t, &tm);
    utc_second_ = second;
    utc_text_.clear();
    put(utc_text_, "{:04}-{:02}-{:02} {:02}:{:02}:{:02}.", tm.tm_year + 1900, tm.tm_mon + 1,
        tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  }
  out += utc_text_;
  append_micros(micros % 1000000, out);
  out += " UTC"sv;
}

void session_printer::print_query(const query_event& q, std::uint32_t timestamp,
                                  std::uint16_t header_flags, bool mariadb, std::string& out) {
  const query_status_vars& s = q.status;
  // CREATE/DROP DATABASE suppress `use`; the next statement names its database again.
  if (header_flags & flag_suppress_use) {
    const bool keyword =
        classify_query_text(q.text()) != query_kind::other || q.text().substr(0, 3) == "XA "sv;
    if (!keyword) db_.clear();
  } else if (!q.db.empty() && q.db != db_) {
    db_ = q.db;
    put(out, "use `{}`/*!*/;\n", q.db);
  }
  const auto micros = s.microseconds ? s.microseconds : s.mariadb_hrnow;
  if (micros) {
    line(out, "SET TIMESTAMP="sv, timestamp, "."sv);
    append_micros(*micros, out);
    out += "/*!*/;\n"sv;
  } else {
    line(out, "SET TIMESTAMP="sv, timestamp, "/*!*/;\n"sv);
  }
  // Printed once, then again only for a thread-specific statement (temporary tables) of
  // another connection.
  if (!thread_id_ || ((header_flags & flag_thread_specific) && *thread_id_ != q.thread_id)) {
    thread_id_ = q.thread_id;
    line(out, "SET @@session.pseudo_thread_id="sv, q.thread_id, "/*!*/;\n"sv);
  }
  if (s.flags2) print_flags2(*s.flags2, mariadb, out);
  if (s.sql_mode && changed(sql_mode_, *s.sql_mode))
    put(out, "SET @@session.sql_mode={}/*!*/;\n", *s.sql_mode);
  // An absent variable had its default on the source (1, 1; lc_time_names 0 = en_US).
  const std::uint16_t increment = s.auto_increment_increment.value_or(1);
  const std::uint16_t offset = s.auto_increment_offset.value_or(1);
  if (changed(auto_increment_, std::uint32_t(increment) << 16 | offset)) {
    put(out,
        "SET @@session.auto_increment_increment={}, @@session.auto_increment_offset={}/*!*/;\n",
        increment, offset);
  }
  print_charset(s, mariadb, out);
  print_other_vars(s, out);
  out += q.text();
  out += "\n/*!*/;\n"sv;
}

void session_printer::print_flags2(std::uint32_t flags2, bool mariadb, std::string& out) {
  const std::uint32_t before = flags2_.value_or(~flags2);
  if (flags2_ && *flags2_ == flags2) return;
  flags2_ = flags2;
  bool first = true;
  for (const auto& b : flags2_bits) {
    if (b.mariadb_only && !mariadb) continue;
    if ((before & b.bit) == (flags2 & b.bit)) continue;
    const bool set = (flags2 & b.bit) != 0;
    put(out, "{}@@session.{}={}", first ? "SET "sv : ", "sv, b.variable, int(set != b.inverted));
    first = false;
  }
  if (!first) out += "/*!*/;\n"sv;
}

void session_printer::print_charset(const query_status_vars& s, bool mariadb, std::string& out) {
  if (!s.charset_client || !s.collation_connection || !s.collation_server) return;
  const std::uint64_t key = std::uint64_t(*s.charset_client) << 32 |
                            std::uint64_t(*s.collation_connection) << 16 | *s.collation_server;
  if (!changed(charset_, key)) return;
  const std::string_view name = charset_of_collation(*s.charset_client);
  if (!name.empty()) put(out, "/*!\\C {} *//*!*/;\n", name);
  out += "SET @@session.character_set_client="sv;
  if (mariadb && !name.empty()) {
    out += name;
  } else {
    out += std::to_string(*s.charset_client);
  }
  put(out, ",@@session.collation_connection={},@@session.collation_server={}/*!*/;\n",
      *s.collation_connection, *s.collation_server);
}

void session_printer::print_other_vars(const query_status_vars& s, std::string& out) {
  if (s.time_zone && changed(time_zone_, std::string(*s.time_zone)))
    put(out, "SET @@session.time_zone='{}'/*!*/;\n", *s.time_zone);
  if (changed(lc_time_names_, s.lc_time_names.value_or(0)))
    put(out, "SET @@session.lc_time_names={}/*!*/;\n", *lc_time_names_);
  if (changed(charset_database_, s.charset_database.value_or(0))) {
    if (s.charset_database && *s.charset_database) {
      put(out, "SET @@session.collation_database={}/*!*/;\n", *s.charset_database);
    } else {
      out += "SET @@session.collation_database=DEFAULT/*!*/;\n"sv;
    }
  }
  if (s.explicit_defaults_for_timestamp &&
      changed(explicit_defaults_, *s.explicit_defaults_for_timestamp)) {
    put(out, "SET @@session.explicit_defaults_for_timestamp={}/*!*/;\n",
        *s.explicit_defaults_for_timestamp);
  }
  if (s.default_collation_for_utf8mb4 &&
      changed(default_collation_utf8mb4_, *s.default_collation_for_utf8mb4)) {
    put(out, "/*!80011 SET @@session.default_collation_for_utf8mb4={}*//*!*/;\n",
        *s.default_collation_for_utf8mb4);
  }
  // These two are printed whenever the event carries them, as mysqlbinlog does.
  if (s.sql_require_primary_key) {
    put(out, "/*!80013 SET @@session.sql_require_primary_key={}*//*!*/;\n",
        *s.sql_require_primary_key);
  }
  if (s.default_table_encryption) {
    put(out, "/*!80016 SET @@session.default_table_encryption={}*//*!*/;\n",
        *s.default_table_encryption);
  }
}

void session_printer::print_gtid(const gtid_event& g, bool with_gtid_next, std::string& out) {
  if (g.has_logical_clock() && !(g.flags & gtid_flag_may_have_sbr))
    out += "/*!50718 SET TRANSACTION ISOLATION LEVEL READ COMMITTED*//*!*/;\n"sv;
  if (g.immediate_commit_timestamp) {
    const std::uint64_t original =
        g.original_commit_timestamp.value_or(*g.immediate_commit_timestamp);
    line(out, "# original_commit_timestamp="sv, original, " ("sv);
    append_utc_microseconds(original, out);
    line(out, ")\n# immediate_commit_timestamp="sv, *g.immediate_commit_timestamp, " ("sv);
    append_utc_microseconds(*g.immediate_commit_timestamp, out);
    line(out, ")\n/*!80001 SET @@session.original_commit_timestamp="sv, original, "*//*!*/;\n"sv);
  }
  if (g.immediate_server_version) {
    line(out, "/*!80014 SET @@session.original_server_version="sv,
         g.original_server_version.value_or(*g.immediate_server_version), "*//*!*/;\n"sv);
    line(out, "/*!80014 SET @@session.immediate_server_version="sv, *g.immediate_server_version,
         "*//*!*/;\n"sv);
  }
  if (!with_gtid_next) return;
  printed_gtid_next_ = true;
  if (g.anonymous) {
    out += "SET @@SESSION.GTID_NEXT= 'ANONYMOUS'/*!*/;\n"sv;
    return;
  }
  if (sid_text_.empty() || g.sid != sid_) {
    sid_ = g.sid;
    sid_text_ = g.sid.to_string();
  }
  out += "SET @@SESSION.GTID_NEXT= '"sv;
  out += sid_text_;
  out += ':';
  if (!g.tag.empty()) {
    out += g.tag;
    out += ':';
  }
  line(out, ""sv, g.gno, "'/*!*/;\n"sv);
}

void session_printer::print_gtid_next_automatic(std::string& out) {
  if (!printed_gtid_next_) return;
  printed_gtid_next_ = false;
  out += "SET @@SESSION.GTID_NEXT= 'AUTOMATIC' /* added by binrelay-inspect */ /*!*/;\n"sv;
}

void session_printer::print_mariadb_gtid(const mariadb_gtid_event& g, bool with_gtid,
                                         std::string& out) {
  if (with_gtid) {
    if (changed(skip_parallel_, !(g.flags2 & mariadb_fl_allow_parallel)))
      put(out, "/*M!100101 SET @@session.skip_parallel_replication={}*//*!*/;\n",
          int(*skip_parallel_));
    if (changed(domain_id_, g.domain_id))
      put(out, "/*M!100001 SET @@session.gtid_domain_id={}*//*!*/;\n", g.domain_id);
    if (changed(server_id_, g.server_id))
      put(out, "/*M!100001 SET @@session.server_id={}*//*!*/;\n", g.server_id);
    line(out, "/*M!100001 SET @@session.gtid_seq_no="sv, g.seq_no, "*//*!*/;\n"sv);
  }
  if (!(g.flags2 & mariadb_fl_standalone)) out += "START TRANSACTION\n/*!*/;\n"sv;
}

}  // namespace binrelay::binlog
