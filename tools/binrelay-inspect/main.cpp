// binrelay-inspect: prints the events of binlog and relay log files as mysqlbinlog and
// mariadb-binlog do (replayable SQL with BINLOG blocks, or -vv pseudo-SQL rows), as JSON
// lines, their GTID sets, or per-type statistics. CLI parsing and wiring only; the work is in
// src/binlog (text_printer, json_printer, event_filter, binlog_summary).

#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "binlog/binlog_summary.h"
#include "binlog/event_filter.h"
#include "binlog/file_reader.h"
#include "binlog/json_printer.h"
#include "binlog/text_printer.h"

namespace {

using namespace binrelay;
using namespace binrelay::binlog;

enum class mode { text, json, gtids, stats };

struct options {
  std::vector<std::string> files;
  mode what = mode::text;
  bool force = false;
  bool verify = true;
  text_options text;
};

void write_out(std::string& buf, bool final) {
  if (buf.size() < (1u << 20) && !final) return;
  std::fwrite(buf.data(), 1, buf.size(), stdout);
  buf.clear();
}

enum class file_result { clean, failed, stopped };

// Prints the events of one file that pass `filter`; `stopped` when the filter ended the output.
template <class Printer>
file_result print_file(const std::string& path, const options& opt, event_filter& filter,
                       Printer& printer, std::string& buf) {
  file_reader_options ro;
  ro.verify_checksums = opt.verify;
  auto reader = file_reader::open(path, ro);
  if (!reader) {
    fmt::print(stderr, "binrelay-inspect: {}: {}\n", path, reader.error().describe());
    return file_result::failed;
  }
  const bool filtering = filter.active();
  file_result result = file_result::clean;
  while (true) {
    auto ev = reader->next();
    if (!ev) {
      write_out(buf, true);
      fmt::print(stderr, "binrelay-inspect: {}\n", ev.error().describe());
      result = file_result::failed;
      if (opt.force && ev.error().code == errc::checksum_mismatch) continue;
      break;
    }
    if (!*ev) break;
    if (filtering) {
      const filter_verdict v = filter.check(**ev, reader->format());
      if (v == filter_verdict::stop)
        return result == file_result::clean ? file_result::stopped : result;
      if (v == filter_verdict::skip) continue;
    }
    auto r = printer.print(**ev, reader->format());
    if (!r) {
      result = file_result::failed;
      if (!opt.force) {
        write_out(buf, true);
        fmt::print(stderr, "binrelay-inspect: {}: event at offset {}: {}\n", reader->name(),
                   (*ev)->offset, r.error().describe());
        break;
      }
    }
    write_out(buf, false);
  }
  write_out(buf, true);
  return result;
}

template <class Printer>
bool print_files(const options& opt, event_filter& filter, Printer& printer, std::string& buf) {
  bool ok = true;
  for (std::size_t i = 0; i < opt.files.size(); ++i) {
    filter.begin_file(i == 0, i + 1 == opt.files.size());
    const file_result r = print_file(opt.files[i], opt, filter, printer, buf);
    if constexpr (requires { printer.end_file(); }) printer.end_file();
    if (r == file_result::failed) ok = false;
    if (r == file_result::stopped || (r == file_result::failed && !opt.force)) break;
  }
  return ok;
}

bool summarize_file(const std::string& path, const options& opt) {
  summary_options so;
  so.verify_checksums = opt.verify;
  so.gtids = opt.what == mode::gtids;
  so.continue_after_errors = opt.force;
  auto s = summarize_binlog_file(path, so);
  if (!s) {
    fmt::print(stderr, "binrelay-inspect: {}\n", s.error().describe());
    return false;
  }
  std::string out;
  if (opt.what == mode::gtids) {
    append_gtid_summary(*s, out);
  } else {
    append_stats(*s, out);
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  for (const auto& e : s->errors) fmt::print(stderr, "binrelay-inspect: {}\n", e.describe());
  return s->errors.empty();
}

// "YYYY-MM-DD HH:MM:SS" in local time, as mysqlbinlog reads --start-datetime.
std::uint32_t parse_datetime(const std::string& text, const char* option) {
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%Y-%m-%d %H:%M:%S", &tm);
  if (!end || *end) {
    end = strptime(text.c_str(), "%Y-%m-%d", &tm);
    if (!end || *end)
      throw CLI::ValidationError(option, "expected 'YYYY-MM-DD HH:MM:SS', got '" + text + "'");
  }
  tm.tm_isdst = -1;
  return std::uint32_t(std::mktime(&tm));
}

// --start-position / --stop-position: a byte offset, or (MariaDB) a GTID position D-S-N,...
void parse_position(const std::string& text, const char* option,
                    std::optional<std::uint64_t>& offset,
                    std::optional<gtid::mariadb_gtid_position>& gtids) {
  if (text.find('-') == std::string::npos) {
    std::size_t used = 0;
    try {
      offset = std::stoull(text, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != text.size() || text.empty())
      throw CLI::ValidationError(option,
                                 "expected a byte offset or D-S-N GTIDs, got '" + text + "'");
    return;
  }
  auto p = gtid::mariadb_gtid_position::parse(text);
  if (!p) throw CLI::ValidationError(option, p.error().describe());
  gtids = std::move(*p);
}

std::optional<gtid::gtid_set> parse_gtid_set(const std::string& text, const char* option) {
  if (text.empty()) return std::nullopt;
  auto s = gtid::gtid_set::parse(text);
  if (!s) throw CLI::ValidationError(option, s.error().describe());
  return std::move(*s);
}

struct filter_args {
  std::string start_position, stop_position, start_datetime, stop_datetime;
  std::string database, include_gtids, exclude_gtids;
};

event_filter_options make_filter(const filter_args& a) {
  event_filter_options f;
  if (!a.start_position.empty())
    parse_position(a.start_position, "--start-position", f.start_position, f.start_gtids);
  if (!a.stop_position.empty())
    parse_position(a.stop_position, "--stop-position", f.stop_position, f.stop_gtids);
  if (!a.start_datetime.empty())
    f.start_time = parse_datetime(a.start_datetime, "--start-datetime");
  if (!a.stop_datetime.empty()) f.stop_time = parse_datetime(a.stop_datetime, "--stop-datetime");
  if (!a.database.empty()) f.database = a.database;
  f.include_gtids = parse_gtid_set(a.include_gtids, "--include-gtids");
  f.exclude_gtids = parse_gtid_set(a.exclude_gtids, "--exclude-gtids");
  return f;
}

void add_filter_options(CLI::App& app, filter_args& a) {
  app.add_option("-j,--start-position", a.start_position,
                 "Start at this byte offset of the first file, or (MariaDB) after these GTIDs "
                 "(D-S-N,...)");
  app.add_option("--stop-position", a.stop_position,
                 "Stop at the first event at or past this offset of the last file, or "
                 "(MariaDB) after these GTIDs (D-S-N,...)");
  app.add_option("--start-datetime", a.start_datetime,
                 "Skip events before this local time ('YYYY-MM-DD HH:MM:SS')");
  app.add_option("--stop-datetime", a.stop_datetime,
                 "Stop at the first event at or after this local time");
  app.add_option("-d,--database", a.database,
                 "Only this default database's statements and tables' rows");
  app.add_option("--include-gtids", a.include_gtids, "Only the transactions of this GTID set");
  app.add_option("--exclude-gtids", a.exclude_gtids, "Skip the transactions of this GTID set");
}

base64_output parse_base64_output(const std::string& text) {
  std::string up;
  for (char c : text) up.push_back(char(std::toupper(static_cast<unsigned char>(c))));
  if (up == "AUTO" || up == "ALWAYS") return base64_output::automatic;
  if (up == "NEVER") return base64_output::never;
  if (up == "DECODE-ROWS") return base64_output::decode_rows;
  throw CLI::ValidationError("--base64-output",
                             "expected AUTO, NEVER or DECODE-ROWS, got '" + text + "'");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "binrelay-inspect: print the events of MySQL/MariaDB binlog and relay log files.\n"
      "The default output is SQL that replays them (`binrelay-inspect FILES | mysql`), as "
      "mysqlbinlog and mariadb-binlog print it."};
  options opt;
  app.add_option("files", opt.files, "Binlog or relay log files, printed in the order given")
      ->required()
      ->check(CLI::ExistingFile);
  bool want_json = false, want_gtids = false, want_stats = false;
  auto* json = app.add_flag("--json", want_json, "Print one JSON object per event instead of text");
  auto* gtids = app.add_flag("--gtids", want_gtids,
                             "Print each file's previous GTID set (Previous_gtids or "
                             "Gtid_list) and the GTIDs it contains");
  auto* stats = app.add_flag("--stats", want_stats,
                             "Print event counts and bytes per type and the transaction count "
                             "(header-only scan; fast)");
  json->excludes(gtids)->excludes(stats);
  gtids->excludes(stats);
  app.add_flag("-v,--verbose", opt.text.verbosity,
               "Print rows as `###` pseudo-SQL; twice (-vv) with each column's type");
  std::string base64 = "AUTO";
  app.add_option("--base64-output", base64,
                 "AUTO: BINLOG statements for row events (replayable); NEVER: refuse row "
                 "events; DECODE-ROWS: rows only as `###` pseudo-SQL (with -v)");
  app.add_flag("--skip-gtids", opt.text.skip_gtids, "Leave out the GTID_NEXT / gtid_seq_no lines");
  filter_args filters;
  add_filter_options(app, filters);
  app.add_flag("--force", opt.force,
               "Continue past events that fail their checksum or cannot be decoded "
               "(they are reported on stderr); the exit status is still non-zero");
  bool no_verify = false;
  app.add_flag("--no-verify-checksums", no_verify, "Do not verify the CRC32 of each event");
  event_filter_options filter_options;
  try {
    app.parse(argc, argv);
    opt.text.base64 = parse_base64_output(base64);
    filter_options = make_filter(filters);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  opt.verify = !no_verify;
  if (want_json) opt.what = mode::json;
  if (want_gtids) opt.what = mode::gtids;
  if (want_stats) opt.what = mode::stats;

  event_filter filter(std::move(filter_options));
  std::string buf;
  if (opt.what == mode::text) {
    text_printer printer(buf, opt.text);
    printer.begin();
    bool ok = print_files(opt, filter, printer, buf);
    printer.end();
    write_out(buf, true);
    return ok ? 0 : 1;
  }
  if (opt.what == mode::json) {
    json_printer printer(buf);
    return print_files(opt, filter, printer, buf) ? 0 : 1;
  }
  bool ok = true;
  for (const auto& path : opt.files) ok = summarize_file(path, opt) && ok;
  return ok ? 0 : 1;
}
