// binrelay-inspect: prints the events of binlog and relay log files (mysqlbinlog -vv style),
// as JSON lines, their GTID sets, or per-type statistics. CLI parsing and wiring only; the
// work is in src/binlog (text_printer, json_printer, binlog_summary).

#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "binlog/binlog_summary.h"
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
};

void write_out(std::string& buf, bool final) {
  if (buf.size() < (1u << 20) && !final) return;
  std::fwrite(buf.data(), 1, buf.size(), stdout);
  buf.clear();
}

// Prints every event of one file; returns false when an error stopped or marked it.
template <class Printer>
bool print_file(const std::string& path, const options& opt, Printer& printer, std::string& buf) {
  file_reader_options ro;
  ro.verify_checksums = opt.verify;
  auto reader = file_reader::open(path, ro);
  if (!reader) {
    fmt::print(stderr, "binrelay-inspect: {}: {}\n", path, reader.error().describe());
    return false;
  }
  bool clean = true;
  while (true) {
    auto ev = reader->next();
    if (!ev) {
      write_out(buf, true);
      fmt::print(stderr, "binrelay-inspect: {}\n", ev.error().describe());
      clean = false;
      if (opt.force && ev.error().code == errc::checksum_mismatch) continue;
      break;
    }
    if (!*ev) break;
    auto r = printer.print(**ev, reader->format());
    if (!r) {
      clean = false;
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
  return clean;
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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "binrelay-inspect: print the events of MySQL/MariaDB binlog and relay log files.\n"
      "Default output resembles `mysqlbinlog -vv --base64-output=decode-rows`."};
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
  app.add_flag("--force", opt.force,
               "Continue past events that fail their checksum or cannot be decoded "
               "(they are reported on stderr); the exit status is still non-zero");
  bool no_verify = false;
  app.add_flag("--no-verify-checksums", no_verify, "Do not verify the CRC32 of each event");
  CLI11_PARSE(app, argc, argv);
  opt.verify = !no_verify;
  if (want_json) opt.what = mode::json;
  if (want_gtids) opt.what = mode::gtids;
  if (want_stats) opt.what = mode::stats;

  bool ok = true;
  for (const auto& path : opt.files) {
    std::string buf;
    if (opt.what == mode::text) {
      text_printer printer(buf);
      ok = print_file(path, opt, printer, buf) && ok;
    } else if (opt.what == mode::json) {
      json_printer printer(buf);
      ok = print_file(path, opt, printer, buf) && ok;
    } else {
      ok = summarize_file(path, opt) && ok;
    }
  }
  return ok ? 0 : 1;
}
