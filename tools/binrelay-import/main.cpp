// binrelay-import: builds a relay store from existing binlog files, so binrelayd can serve
// them to replicas (docs/import.md). CLI parsing and wiring only; the work is in
// src/relay/store_import.h.

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "relay/data_dir_lock.h"
#include "relay/store_import.h"

namespace {

using namespace binrelay;

void print_report(const relay::import_report& r, const std::string& dir) {
  for (const auto& f : r.files) {
    fmt::print("{} -> {}: {} bytes, {} transactions, GTIDs before: {}\n", f.source, f.name, f.size,
               f.transactions, f.before.to_string().empty() ? "(none)" : f.before.to_string());
    for (const auto& c : f.changes) fmt::print("  {}\n", c);
  }
  if (!r.continuation.empty()) {
    fmt::print("{}: header events only; the store continues here\n", r.continuation);
  }
  fmt::print("retrieved GTIDs: {}\n",
             r.retrieved.to_string().empty() ? "(none)" : r.retrieved.to_string());
  fmt::print(
      "serve it with: binrelayd --data-dir {} --relay-log-name {} --listen HOST:PORT "
      "--repl-user USER --repl-password-file FILE\n",
      dir, r.basename);
}

// A refused import leaves no directory it created: only the lock file is in it.
void remove_lock_only_directory(const std::filesystem::path& dir) {
  std::error_code ec;
  auto lock_file = dir / relay::data_dir_lock::file_name;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path() != lock_file) return;
  }
  std::filesystem::remove(lock_file, ec);
  std::filesystem::remove(dir, ec);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "binrelay-import: build a relay store from existing MySQL 5.6+ / MariaDB 10.0+ binlog "
      "files (one store file per input, bytes unchanged) for binrelayd to serve"};
  relay::import_options options;
  std::vector<std::string> files;
  app.add_option("--data-dir", options.directory, "Relay store directory (created if missing)")
      ->required();
  app.add_option("--relay-log-name", options.basename,
                 "Base name of the store's files (NAME.000001, NAME.index); default: the "
                 "existing store's, else the input files' own, else relay-bin");
  app.add_option("files", files, "Binlog files, oldest first")
      ->required()
      ->check(CLI::ExistingFile);
  CLI11_PARSE(app, argc, argv);
  for (const auto& f : files) options.inputs.emplace_back(f);

  auto scans = relay::scan_inputs(options.inputs);
  if (!scans) {
    fmt::print(stderr, "binrelay-import: {}\n", scans.error().describe());
    return 1;
  }
  bool existed = std::filesystem::exists(options.directory);
  auto lock = relay::data_dir_lock::acquire(options.directory, "binrelay-import");
  if (!lock) {
    fmt::print(stderr, "binrelay-import: {}\n", lock.error().describe());
    return 1;
  }
  auto report = relay::import_scanned(options, *scans);
  if (!report) {
    fmt::print(stderr, "binrelay-import: {}\n", report.error().describe());
    if (!existed) remove_lock_only_directory(options.directory);
    return 1;
  }
  for (const auto& a : report->recovery_actions) fmt::print("recovered: {}\n", a);
  print_report(*report, options.directory.string());
  return 0;
}
